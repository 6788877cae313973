import { decision, LIMITS, type RateLimiter } from "./limits";

interface WindowCounts {
  windowMs: number;
  window: number;
  current: number;
  previous: number;
}

const SWEEP_EVERY_CALLS = 1000;
/** Keys held at most; while Redis is down a flood of new addresses must not grow the map without bound. */
export const MEMORY_LIMITER_MAX_KEYS = 100_000;

/**
 * In-process limiter for embedded mode and for when Redis is unreachable.
 * Same algorithm as @upstash/ratelimit's slidingWindow (two fixed windows,
 * the previous one weighted by how much of it still overlaps), so both
 * modes refuse at the same points.
 */
export function createMemoryRateLimiter(now: () => number = Date.now, maxKeys = MEMORY_LIMITER_MAX_KEYS): RateLimiter {
  const counts = new Map<string, WindowCounts>();
  let calls = 0;

  function sweep(at: number) {
    for (const [key, entry] of counts) {
      if (Math.floor(at / entry.windowMs) - entry.window > 1) counts.delete(key);
    }
  }

  return {
    async limit(name, key) {
      const at = now();
      if (++calls % SWEEP_EVERY_CALLS === 0) sweep(at);
      const { tokens, windowSeconds } = LIMITS[name];
      const windowMs = windowSeconds * 1000;
      const window = Math.floor(at / windowMs);
      const mapKey = `${name}:${key}`;
      let entry = counts.get(mapKey);
      counts.delete(mapKey); // re-inserted below, so the map stays in least-recently-seen order
      if (!entry || window - entry.window > 1) entry = { windowMs, window, current: 0, previous: 0 };
      else if (window - entry.window === 1) entry = { windowMs, window, current: 0, previous: entry.current };
      counts.set(mapKey, entry);
      if (counts.size > maxKeys) {
        sweep(at);
        // Still full of live keys: forget the least recently seen one (Map order is insertion order).
        const oldest = counts.keys().next();
        if (counts.size > maxKeys && !oldest.done) counts.delete(oldest.value);
      }

      const overlap = 1 - (at % windowMs) / windowMs;
      const used = Math.ceil(entry.previous * overlap) + entry.current;
      const allowed = used < tokens;
      if (allowed) entry.current += 1;
      return decision(allowed, (window + 1) * windowMs, at);
    },
  };
}
