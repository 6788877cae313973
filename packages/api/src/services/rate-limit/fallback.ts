import type { LimitName, RateLimiter } from "./limits";

export interface FallbackOptions {
  /** Longest wait for the primary before the fallback decides. */
  timeoutMs: number;
  onFallback?: (error: unknown) => void;
}

/**
 * Uses `primary` (Redis) and, when it fails or is slower than `timeoutMs`,
 * `fallback` (in-process): limits degrade to per-instance, never to none,
 * and a dead Redis never leaves a request hanging.
 */
export function withFallback(primary: RateLimiter, fallback: RateLimiter, options: FallbackOptions): RateLimiter {
  return {
    async limit(name: LimitName, key: string) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`rate limiter timed out after ${options.timeoutMs} ms`)), options.timeoutMs);
      });
      try {
        return await Promise.race([primary.limit(name, key), timeout]);
      } catch (error) {
        options.onFallback?.(error);
        return fallback.limit(name, key);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
