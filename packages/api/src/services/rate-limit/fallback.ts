import type { LimitDecision, LimitName, RateLimiter } from "./limits";

export interface FallbackOptions {
  /** Longest wait for the primary before the fallback decides. */
  timeoutMs: number;
  onFallback?: (error: unknown) => void;
  /** Refusals remembered for when the primary is away; oldest forgotten first past this. */
  maxRemembered?: number;
}

/**
 * Uses `primary` (Redis) and, when it fails or is slower than `timeoutMs`,
 * `fallback` (in-process): limits degrade to per-instance, never to none,
 * and a dead Redis never leaves a request hanging. A key the primary refused
 * stays refused by the fallback until that window ends: a slow Redis must
 * not hand a limited client a fresh budget.
 */
export function withFallback(primary: RateLimiter, fallback: RateLimiter, options: FallbackOptions): RateLimiter {
  const maxRemembered = options.maxRemembered ?? 100_000;
  const refusedUntil = new Map<string, number>();

  function remember(id: string, verdict: LimitDecision) {
    if (verdict.allowed || verdict.windowEndsAtMs === undefined) return;
    refusedUntil.delete(id); // re-inserted at the end: Map order is age order
    refusedUntil.set(id, verdict.windowEndsAtMs);
    const oldest = refusedUntil.keys().next();
    if (refusedUntil.size > maxRemembered && !oldest.done) refusedUntil.delete(oldest.value);
  }

  function stillRefused(id: string, now = Date.now()): LimitDecision | null {
    const until = refusedUntil.get(id);
    if (until === undefined) return null;
    if (until <= now) {
      refusedUntil.delete(id);
      return null;
    }
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((until - now) / 1000)), windowEndsAtMs: until };
  }

  return {
    async limit(name: LimitName, key: string) {
      const id = `${name}:${key}`;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`rate limiter timed out after ${options.timeoutMs} ms`)), options.timeoutMs);
      });
      try {
        const verdict = await Promise.race([primary.limit(name, key), timeout]);
        remember(id, verdict);
        return verdict;
      } catch (error) {
        options.onFallback?.(error);
        return stillRefused(id) ?? fallback.limit(name, key);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
