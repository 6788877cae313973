/**
 * The request id of an error raised before tRPC built a context (an
 * oversized batch, a wrong content type), which the error formatter cannot
 * read from `ctx`. The transport tags each error in its `onError` callback,
 * which tRPC calls before it formats that error.
 *
 * A WeakMap, not AsyncLocalStorage: on Node 20 one AsyncLocalStorage turns
 * on promise hooks for the whole process, which cost every request about a
 * third of its CPU (bench/README.md).
 */
const requestIds = new WeakMap<Error, string>();

export function tagWithRequestId(error: Error, requestId: string): void {
  requestIds.set(error, requestId);
}

export const requestIdOf = (error: Error): string | null => requestIds.get(error) ?? null;
