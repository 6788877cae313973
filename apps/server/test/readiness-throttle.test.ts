import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { sharedReadiness } from "../src/readiness";
import { startFakeDependency, type FakeDependency } from "@voiceassist/testing/fake-dependency";
import { send } from "@voiceassist/testing/raw-http";
import { startTestServer, type TestServer } from "@voiceassist/testing/server";
import { randomIp } from "@voiceassist/testing/users";

/**
 * F19: health.ready is public. A batch of 50 calls (or a flood) must not run
 * 50 rounds of Postgres + Redis + HTTP probes: concurrent callers share one
 * round, its result is reused briefly (READINESS_CACHE_MS, ≤ 1 s), and each
 * client IP has a budget (`ready`: 60 a minute). The fake Qdrant counts rounds:
 * every round sends it exactly one /readyz.
 */

const CACHE_MS = 1_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("health.ready under load", () => {
  let qdrant: FakeDependency;
  let server: TestServer;
  const rounds = () => qdrant.requests.filter((r) => r.path === "/readyz").length;
  const ready = (ip = randomIp()) => send(`${server.trpcUrl}/health.ready`, { headers: { "x-forwarded-for": ip } });

  beforeAll(async () => {
    qdrant = await startFakeDependency("healthy");
    server = await startTestServer({ env: { QDRANT_URL: qdrant.url, READINESS_CACHE_MS: String(CACHE_MS) } });
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    await qdrant?.close();
  });

  it("a batch of 50 health.ready runs at most one probe round, and every call gets its answer", async () => {
    await sleep(CACHE_MS + 50);
    const before = rounds();
    const path = Array.from({ length: 50 }, () => "health.ready").join(",");
    const res = await send(`${server.trpcUrl}/${path}?batch=1`, { headers: { "x-forwarded-for": randomIp() } });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toHaveLength(50);
    for (const item of res.body) expect(item.result.data.json.checks.qdrant.status).toBe("up");
    expect(rounds() - before).toBeLessThanOrEqual(1);
  });

  it("a second call within the TTL reuses the result; after it, a new round runs", async () => {
    await sleep(CACHE_MS + 50);
    const before = rounds();
    const first = await ready();
    expect(first.status).toBe(200);
    expect(rounds() - before).toBe(1);
    const second = await ready();
    expect(second.status).toBe(200);
    expect(second.body.result.data.json).toEqual(first.body.result.data.json);
    expect(rounds() - before, "reused within the TTL").toBe(1);
    await sleep(CACHE_MS + 50);
    expect((await ready()).status).toBe(200);
    expect(rounds() - before, "fresh round after the TTL").toBe(2);
  });

  it("20 concurrent requests while a round is slow share that one round", async () => {
    await sleep(CACHE_MS + 50);
    qdrant.setMode("slow"); // 5 s, so the probe times out at its 2 s bound
    try {
      const before = rounds();
      const answers = await Promise.all(Array.from({ length: 20 }, () => ready()));
      for (const res of answers) {
        expect(res.status).toBe(200);
        expect(res.body.result.data.json.status).toBe("degraded");
      }
      expect(rounds() - before).toBe(1);
    } finally {
      qdrant.setMode("healthy");
    }
  });

  it("one IP gets 60 calls a minute, then 429 with Retry-After; other IPs and health.live are unaffected", async () => {
    const ip = randomIp();
    const path = Array.from({ length: 30 }, () => "health.ready").join(",");
    for (let i = 0; i < 2; i++) {
      const batch = await send(`${server.trpcUrl}/${path}?batch=1`, { headers: { "x-forwarded-for": ip } });
      expect(batch.status, batch.text).toBe(200);
    }
    const refused = await ready(ip);
    expect(refused.status).toBe(429);
    expect(refused.body.error.json.data.code).toBe("TOO_MANY_REQUESTS");
    expect(Number(refused.headers["retry-after"])).toBeGreaterThan(0);
    expect((await ready()).status).toBe(200);
    expect((await send(`${server.trpcUrl}/health.live`, { headers: { "x-forwarded-for": ip } })).status).toBe(200);
  });
});

describe("sharedReadiness", () => {
  it("shares the in-flight round, caches a rejection like a result, and 0 keeps only the sharing", async () => {
    let clock = 0;
    let calls = 0;
    let fail = true;
    const round = async () => {
      calls++;
      await sleep(20);
      if (fail) throw new Error("not ready");
      return calls;
    };
    const check = sharedReadiness(round, 1_000, () => clock);
    const concurrent = await Promise.allSettled([check(), check(), check()]);
    expect(calls).toBe(1);
    expect(concurrent.every((r) => r.status === "rejected")).toBe(true);
    await expect(check()).rejects.toThrow("not ready"); // within the TTL: no new round
    expect(calls).toBe(1);
    fail = false;
    clock = 1_000;
    await expect(check()).resolves.toBe(2);

    const uncached = sharedReadiness(round, 0, () => clock);
    await Promise.all([uncached(), uncached()]);
    await uncached();
    expect(calls).toBe(4);
  });
});
