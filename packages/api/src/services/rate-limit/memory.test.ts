import { describe, expect, it } from "vitest";

import { createMemoryRateLimiter } from "./memory";

describe("in-process limiter", () => {
  it("allows the budget, refuses the next with a Retry-After to the window end", async () => {
    let now = 60_000 * 1000 + 15_000; // 15 s into a minute window
    const limiter = createMemoryRateLimiter(() => now);
    for (let i = 0; i < 10; i++) expect((await limiter.limit("login", "1.2.3.4")).allowed).toBe(true);
    expect(await limiter.limit("login", "1.2.3.4")).toMatchObject({ allowed: false, retryAfterSeconds: 45 });
    expect((await limiter.limit("login", "5.6.7.8")).allowed).toBe(true);
    expect((await limiter.limit("refresh", "1.2.3.4")).allowed).toBe(true);
    now += 1000;
    expect((await limiter.limit("login", "1.2.3.4")).allowed).toBe(false);
  });

  it("weights the previous window like a sliding window", async () => {
    let now = 60_000 * 2000; // start of a window
    const limiter = createMemoryRateLimiter(() => now);
    for (let i = 0; i < 10; i++) await limiter.limit("login", "ip");
    now += 60_000 + 30_000; // half-way into the next window: 5 of the 10 still count
    const allowed = [];
    for (let i = 0; i < 10; i++) allowed.push((await limiter.limit("login", "ip")).allowed);
    expect(allowed.filter(Boolean)).toHaveLength(5);
    now += 60_000 * 2; // two windows later everything has expired
    expect((await limiter.limit("login", "ip")).allowed).toBe(true);
  });

  it("refused calls do not spend budget", async () => {
    let now = 60_000 * 3000;
    const limiter = createMemoryRateLimiter(() => now);
    for (let i = 0; i < 50; i++) await limiter.limit("login", "ip");
    now += 120_000;
    for (let i = 0; i < 10; i++) expect((await limiter.limit("login", "ip")).allowed).toBe(true);
  });

  it("holds at most maxKeys keys while a flood of new addresses arrives, forgetting the least recently seen", async () => {
    const now = 60_000 * 3000;
    const limiter = createMemoryRateLimiter(() => now, 3);
    const spend = async (ip: string) => {
      for (let i = 0; i < 10; i++) await limiter.limit("login", ip);
    };
    await spend("a");
    await spend("kept");
    await limiter.limit("login", "b");
    await limiter.limit("login", "kept"); // seen again: now the newest
    await limiter.limit("login", "c"); // a fourth key: "a", the least recently seen, is forgotten
    expect((await limiter.limit("login", "kept")).allowed).toBe(false);
    expect((await limiter.limit("login", "a")).allowed).toBe(true);
  });
});
