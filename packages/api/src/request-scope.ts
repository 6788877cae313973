import { AsyncLocalStorage } from "node:async_hooks";

/** Aborts when the client goes away before its response is written; a function makes it on first use. */
type SignalSource = AbortSignal | (() => AbortSignal) | null;

interface RequestScope {
  requestId: string;
  signal: SignalSource;
}

const scope = new AsyncLocalStorage<RequestScope>();

/**
 * Runs one HTTP request's tRPC handling with its id (and abort signal) in
 * scope, so errors raised before tRPC builds a context (oversized batch,
 * wrong content type) still carry the request id in their body, and queued
 * work can be dropped when the client hangs up.
 */
export const runInRequestScope = <T>(requestId: string, fn: () => T, signal: SignalSource = null): T =>
  scope.run({ requestId, signal }, fn);

export const currentRequestId = (): string | null => scope.getStore()?.requestId ?? null;

/**
 * Most calls never ask (only queued work such as password hashing does), so
 * the signal, an AbortController and a listener, is made on first use.
 */
export function currentRequestSignal(): AbortSignal | null {
  const store = scope.getStore();
  if (!store || store.signal === null) return null;
  if (typeof store.signal === "function") store.signal = store.signal();
  return store.signal;
}
