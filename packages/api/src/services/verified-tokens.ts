/**
 * Access tokens whose signature and claims were already verified, so that a
 * client's calls during the token's lifetime do not each redo the HMAC.
 * WebCrypto runs every verify as a thread-pool job, about a fifth of a
 * protected call's CPU (bench/README.md).
 *
 * Keyed by the whole token, signature included: any other string, however
 * close, misses and is verified in full. Only tokens that passed are kept, so
 * nobody can fill it without valid tokens, and it is bounded, oldest out
 * first. Expiry is checked again on every hit. Revocation is not its
 * business: protectedProcedure still reads the session row on every call.
 */
export interface VerifiedTokenCache<T> {
  /** The value kept for this exact token while `nowSeconds` is before its `acceptedUntil`. */
  get(token: string, nowSeconds: number): T | undefined;
  /** Keeps `value` for `token` until `acceptedUntil` (seconds since the epoch, exclusive). */
  set(token: string, acceptedUntil: number, value: T): void;
  readonly size: number;
}

export function createVerifiedTokenCache<T>(maxEntries: number): VerifiedTokenCache<T> {
  const entries = new Map<string, { acceptedUntil: number; value: T }>();
  return {
    get(token, nowSeconds) {
      const entry = entries.get(token);
      if (!entry) return undefined;
      if (nowSeconds >= entry.acceptedUntil) {
        entries.delete(token);
        return undefined;
      }
      return entry.value;
    },
    set(token, acceptedUntil, value) {
      if (maxEntries <= 0) return;
      entries.delete(token);
      // A Map iterates in insertion order: the first key is the oldest.
      while (entries.size >= maxEntries) entries.delete(entries.keys().next().value as string);
      entries.set(token, { acceptedUntil, value });
    },
    get size() {
      return entries.size;
    },
  };
}
