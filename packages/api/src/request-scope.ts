import { AsyncLocalStorage } from "node:async_hooks";

const scope = new AsyncLocalStorage<{ requestId: string }>();

/**
 * Runs one HTTP request's tRPC handling with its id in scope, so errors
 * raised before tRPC builds a context (oversized batch, wrong content type)
 * still carry the request id in their body.
 */
export const runInRequestScope = <T>(requestId: string, fn: () => T): T => scope.run({ requestId }, fn);

export const currentRequestId = (): string | null => scope.getStore()?.requestId ?? null;
