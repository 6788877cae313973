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
});
