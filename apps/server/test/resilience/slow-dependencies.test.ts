import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startFakeDependency, type FakeDependency } from "@voiceassist/testing/fake-dependency";
import { expectNoLeak, send, type RawResponse } from "@voiceassist/testing/raw-http";
import { startTestServer, type TestServer } from "@voiceassist/testing/server";
import { testEnv } from "@voiceassist/testing/env";

/**
 * Optional dependencies (Qdrant, Nextcloud) that are slow, failing or dead:
 * health.ready still answers within its 2 s probe bound (plus slack), as
 * 200 "degraded" with the culprit "down" and a short, secret-free hint.
 * One server, two stand-ins whose behaviour the tests switch in order.
 */

const READY_BOUND_MS = 2_500;
const NEXTCLOUD_CREDENTIALS = { NEXTCLOUD_ADMIN_USER: "admin", NEXTCLOUD_ADMIN_PASSWORD: "nc-admin-secret-pw" };

describe("health.ready with slow, failing or dead optional dependencies", () => {
  let qdrant: FakeDependency;
  let nextcloud: FakeDependency;
  let server: TestServer;

  beforeAll(async () => {
    [qdrant, nextcloud] = await Promise.all([startFakeDependency("healthy"), startFakeDependency("healthy")]);
    server = await startTestServer({ env: { QDRANT_URL: qdrant.url, NEXTCLOUD_URL: nextcloud.url, ...NEXTCLOUD_CREDENTIALS } });
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    await Promise.all([qdrant?.close(), nextcloud?.close()]);
  }, 30_000);

  const setMode = (mode: Parameters<FakeDependency["setMode"]>[0]) => {
    qdrant.setMode(mode);
    nextcloud.setMode(mode);
  };

  async function ready(): Promise<RawResponse & { ms: number }> {
    const started = performance.now();
    const res = await send(`${server.trpcUrl}/health.ready`, { timeoutMs: 10_000 });
    return { ...res, ms: performance.now() - started };
  }

  /** The degraded answer: 200 in bounded time, required checks up, both optional ones down with a short hint. */
  function expectDegraded(res: RawResponse & { ms: number }) {
    expect(res.ms, "health.ready took too long").toBeLessThan(READY_BOUND_MS);
    expect(res.status, res.text).toBe(200);
    const { status, checks } = res.body.result.data.json;
    expect(status).toBe("degraded");
    expect(checks.postgres.status).toBe("up");
    expect(checks.redis.status).toBe(testEnv.redisUrl ? "up" : "disabled");
    for (const name of ["qdrant", "nextcloud"]) {
      expect(checks[name].status, name).toBe("down");
      expect(checks[name].detail, `${name} detail`).toMatch(/^.{1,80}$/);
    }
    expectNoLeak(res.text);
    for (const secret of [String(qdrant.port), String(nextcloud.port), "127.0.0.1", NEXTCLOUD_CREDENTIALS.NEXTCLOUD_ADMIN_PASSWORD]) {
      expect(res.text).not.toContain(secret);
    }
    return checks;
  }

  // The control: the same probes say "up" when the stand-ins answer, so "down" below means something.
  it("healthy Qdrant and Nextcloud: ready, both up", async () => {
    const res = await ready();
    expect(res.status, res.text).toBe(200);
    const { status, checks } = res.body.result.data.json;
    expect({ status, qdrant: checks.qdrant.status, nextcloud: checks.nextcloud.status }).toEqual({
      status: "ready",
      qdrant: "up",
      nextcloud: "up",
    });
    expect(qdrant.requests.map((r) => r.path)).toContain("/readyz");
  });

  it("slow Qdrant and Nextcloud (5 s): answered within 2.5 s, degraded, both down as timeouts", async () => {
    setMode("slow");
    const checks = expectDegraded(await ready());
    expect(checks.qdrant.detail).toMatch(/2000 ms/);
    // Bounded at the probe's 2 s, not at the dependency's 5 s.
    expect(checks.qdrant.latencyMs).toBeGreaterThanOrEqual(1_900);
    expect(checks.qdrant.latencyMs).toBeLessThan(READY_BOUND_MS);
  });

  it("ten concurrent readiness calls against the slow pair all answer within the bound", async () => {
    const answers = await Promise.all(Array.from({ length: 10 }, () => ready()));
    for (const res of answers) expectDegraded(res);
  });

  // An abandoned probe that kept its socket open would pile up one connection per readiness call.
  it("the server hangs up on the slow dependencies instead of leaving connections open", async () => {
    const slowRequests = () => [...qdrant.requests, ...nextcloud.requests].filter((r) => r.mode === "slow");
    // Concurrent readiness calls share one probe round, so fewer slow requests than calls.
    expect(slowRequests().length).toBeGreaterThanOrEqual(4);
    await expect.poll(() => slowRequests().filter((r) => r.closedAt === undefined).length, { timeout: 3_000 }).toBe(0);
    for (const r of slowRequests()) expect(r.closedAt! - r.arrivedAt, r.path).toBeLessThan(READY_BOUND_MS);
  });

  it("failing Qdrant and Nextcloud (HTTP 500): degraded, both down", async () => {
    setMode("error");
    const checks = expectDegraded(await ready());
    expect(checks.qdrant.detail).toBe("HTTP 500");
  });

  it("dead Qdrant and Nextcloud (port closed): degraded at once with a 'connection refused'-style hint", async () => {
    await Promise.all([qdrant.close(), nextcloud.close()]);
    const res = await ready();
    const checks = expectDegraded(res);
    expect(res.ms).toBeLessThan(1_500);
    expect(checks.qdrant.detail).toBe("connection refused");
  });

  it("health.live never waits on any of them", async () => {
    const started = performance.now();
    const res = await send(`${server.trpcUrl}/health.live`);
    expect(res.status).toBe(200);
    expect(performance.now() - started).toBeLessThan(500);
  });
});
