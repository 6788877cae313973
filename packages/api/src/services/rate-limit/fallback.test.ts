import { describe, expect, it } from "vitest";

import { withFallback } from "./fallback";
import type { RateLimiter } from "./limits";
import { createMemoryRateLimiter } from "./memory";

const hanging: RateLimiter = { limit: () => new Promise(() => {}) };
const failing: RateLimiter = { limit: async () => Promise.reject(new Error("ECONNREFUSED")) };

describe("withFallback", () => {
  it("decides within the bound when the primary hangs, using the fallback's limits", async () => {
    const reasons: unknown[] = [];
    const limiter = withFallback(hanging, createMemoryRateLimiter(), { timeoutMs: 50, onFallback: (e) => reasons.push(e) });
    const started = Date.now();
    const results = [];
    for (let i = 0; i < 11; i++) results.push((await limiter.limit("login", "ip")).allowed);
    expect(Date.now() - started).toBeLessThan(11 * 50 + 500);
    expect(results.filter(Boolean)).toHaveLength(10); // limited, not unlimited
    expect(reasons).toHaveLength(11);
  });

  it("falls back at once when the primary errors", async () => {
    const limiter = withFallback(failing, createMemoryRateLimiter(), { timeoutMs: 500 });
    const started = Date.now();
    expect((await limiter.limit("register", "ip")).allowed).toBe(true);
    expect(Date.now() - started).toBeLessThan(100);
  });

  it("a key the primary refused stays refused while the primary is slow (F18)", async () => {
    let primaryUp = true;
    // A primary whose window ends a minute after each call: the memory limiter's windows end on the
    // clock's minute, and a refusal remembered at 59.99 s would rightly be gone 30 ms later.
    let used = 0;
    const primaryLimiter: RateLimiter = {
      limit: async () =>
        ++used <= 10
          ? { allowed: true, retryAfterSeconds: 0 }
          : { allowed: false, retryAfterSeconds: 60, windowEndsAtMs: Date.now() + 60_000 },
    };
    const flaky: RateLimiter = {
      limit: (name, key) => (primaryUp ? primaryLimiter.limit(name, key) : new Promise(() => {})),
    };
    const limiter = withFallback(flaky, createMemoryRateLimiter(), { timeoutMs: 30 });
    for (let i = 0; i < 10; i++) expect((await limiter.limit("login", "attacker")).allowed).toBe(true);
    expect((await limiter.limit("login", "attacker")).allowed).toBe(false);
    primaryUp = false;
    // The fresh in-process budget would allow 10 more; the remembered refusal does not.
    const during = await limiter.limit("login", "attacker");
    expect(during.allowed).toBe(false);
    expect(during.retryAfterSeconds).toBeGreaterThan(0);
    // Other keys still get the fallback's own budget.
    expect((await limiter.limit("login", "bystander")).allowed).toBe(true);
  });

  it("forgets the oldest refusal past its bound", async () => {
    const refuseAll: RateLimiter = { limit: async () => ({ allowed: false, retryAfterSeconds: 60, windowEndsAtMs: Date.now() + 60_000 }) };
    let up = true;
    const limiter = withFallback(
      { limit: (n, k) => (up ? refuseAll.limit(n, k) : Promise.reject(new Error("down"))) },
      createMemoryRateLimiter(),
      {
        timeoutMs: 30,
        maxRemembered: 2,
      },
    );
    for (const key of ["a", "b", "c"]) await limiter.limit("login", key);
    up = false;
    expect((await limiter.limit("login", "a")).allowed).toBe(true);
    expect((await limiter.limit("login", "c")).allowed).toBe(false);
  });
});
