import { AsyncLocalStorage } from "node:async_hooks";

interface RequestScope {
  requestId: string;
  /** Aborts when the client goes away before its response is written. */
  signal: AbortSignal | null;
}

const scope = new AsyncLocalStorage<RequestScope>();

/**
 * Runs one HTTP request's tRPC handling with its id (and abort signal) in
 * scope, so errors raised before tRPC builds a context (oversized batch,
 * wrong content type) still carry the request id in their body, and queued
 * work can be dropped when the client hangs up.
 */
export const runInRequestScope = <T>(requestId: string, fn: () => T, signal: AbortSignal | null = null): T =>
  scope.run({ requestId, signal }, fn);

export const currentRequestId = (): string | null => scope.getStore()?.requestId ?? null;

export const currentRequestSignal = (): AbortSignal | null => scope.getStore()?.signal ?? null;
