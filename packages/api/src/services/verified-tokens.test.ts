import { describe, expect, it } from "vitest";

import { createVerifiedTokenCache } from "./verified-tokens";

describe("verified token cache", () => {
  it("answers for a token until the second it stops being accepted, then forgets it", () => {
    const cache = createVerifiedTokenCache<string>(10);
    cache.set("token-a", 1_000, "claims-a");
    expect(cache.get("token-a", 999)).toBe("claims-a");
    expect(cache.get("token-a", 1_000)).toBeUndefined();
    expect(cache.size).toBe(0);
    expect(cache.get("token-a", 999)).toBeUndefined();
  });

  it("holds at most its bound, letting the oldest go first", () => {
    const cache = createVerifiedTokenCache<number>(3);
    for (let n = 1; n <= 5; n++) cache.set(`token-${n}`, 10_000, n);
    expect(cache.size).toBe(3);
    expect([1, 2, 3, 4, 5].map((n) => cache.get(`token-${n}`, 0))).toEqual([undefined, undefined, 3, 4, 5]);
  });

  it("counts a token set again as new, so it is not the next to go", () => {
    const cache = createVerifiedTokenCache<number>(2);
    cache.set("token-1", 10_000, 1);
    cache.set("token-2", 10_000, 2);
    cache.set("token-1", 10_000, 1);
    cache.set("token-3", 10_000, 3);
    expect(["token-1", "token-2", "token-3"].map((t) => cache.get(t, 0))).toEqual([1, undefined, 3]);
  });

  it("keeps nothing with a bound of zero", () => {
    const cache = createVerifiedTokenCache<number>(0);
    cache.set("token-1", 10_000, 1);
    expect(cache.get("token-1", 0)).toBeUndefined();
    expect(cache.size).toBe(0);
  });
});
