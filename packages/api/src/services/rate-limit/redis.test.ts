import { createHash, randomBytes } from "node:crypto";

import { createClient } from "redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createRedisRateLimiter, upstashAdapter } from "./redis";
import { testEnv } from "@voiceassist/testing/env";

const url = testEnv.redisUrl;

describe.runIf(url)("@upstash/ratelimit over the node redis client (real Redis)", () => {
  const client = createClient({ url });
  const prefix = `va-test:${randomBytes(6).toString("hex")}`;
  beforeAll(async () => {
    await client.connect();
  });
  afterAll(async () => {
    for await (const keys of client.scanIterator({ MATCH: `${prefix}*` })) if (keys.length) await client.del(keys);
    await client.close();
  });

  it("evalsha answers NOSCRIPT until eval ran, then runs the cached script", async () => {
    const adapter = upstashAdapter(client);
    // Unique, so never loaded before; with the flag Redis 7.0 refuses.
    const script = `#!lua flags=allow-key-locking\nreturn {KEYS[1], ARGV[1], ${Date.now()}}`;
    const sha = createHash("sha1").update(script).digest("hex");
    await expect(adapter.evalsha(sha, [`${prefix}:k`], ["v"])).rejects.toThrow(/NOSCRIPT/);
    expect(await adapter.eval(script, [`${prefix}:k`], [42])).toEqual([`${prefix}:k`, "42", expect.any(Number)]);
    expect(await adapter.evalsha(sha, [`${prefix}:k`], ["v"])).toEqual([`${prefix}:k`, "v", expect.any(Number)]);
  });

  it("recovers when Redis forgets its scripts (SCRIPT FLUSH, restart)", async () => {
    const limiter = createRedisRateLimiter(client, `${prefix}:flush`);
    expect((await limiter.limit("refresh", "1.1.1.1")).allowed).toBe(true);
    await client.scriptFlush();
    expect((await limiter.limit("refresh", "1.1.1.1")).allowed).toBe(true);
  });

  it("enforces the login budget in Redis and shares it between limiter instances", async () => {
    const first = createRedisRateLimiter(client, prefix);
    const second = createRedisRateLimiter(client, prefix);
    for (let i = 0; i < 5; i++) expect((await first.limit("login", "9.9.9.9")).allowed).toBe(true);
    for (let i = 0; i < 5; i++) expect((await second.limit("login", "9.9.9.9")).allowed).toBe(true);
    const refused = await first.limit("login", "9.9.9.9");
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(60);
    expect((await second.limit("login", "9.9.9.9")).allowed).toBe(false);
    const keys = [];
    for await (const batch of client.scanIterator({ MATCH: `${prefix}:login*` })) keys.push(...batch);
    expect(keys.length).toBeGreaterThan(0);
  });
});
