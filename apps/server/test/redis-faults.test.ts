import { execFileSync } from "node:child_process";

import { createClient } from "redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startPrivateRedis } from "@voiceassist/testing/redis-process";
import { startTestServer, type TestServer } from "@voiceassist/testing/server";
import { codeOf, clientFrom, get, PASSWORD, post, randomIp } from "@voiceassist/testing/users";

const hasRedisServer = (() => {
  try {
    execFileSync("redis-server", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

async function eventually<T>(probe: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await probe();
  while (!ok(last) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    last = await probe();
  }
  return last;
}

describe.runIf(hasRedisServer)("Redis dies while the server runs", () => {
  let redis: Awaited<ReturnType<typeof startPrivateRedis>>;
  let server: TestServer;
  const prefix = `va-fault-${Date.now()}`;
  beforeAll(async () => {
    redis = await startPrivateRedis();
    server = await startTestServer({ env: { REDIS_URL: redis.url }, rateLimitPrefix: prefix });
  });
  afterAll(async () => {
    await server?.close();
    await redis?.stop();
  });

  const login = (ip: string) => post(server, "auth.login", { email: "nobody@example.com", password: PASSWORD }, { "x-forwarded-for": ip });

  it("uses Redis while it is up", async () => {
    expect((await server.client().health.ready.query()).checks.redis.status).toBe("up");
    expect((await login(randomIp())).response.status).toBe(401);
    const probe = createClient({ url: redis.url });
    await probe.connect();
    const keys = await probe.keys(`${prefix}:*`);
    await probe.close();
    expect(keys.length).toBeGreaterThan(0);
  });

  it("auth calls neither hang nor fail, limits fall back in-process, readiness says redis down (503)", async () => {
    await redis.stop();
    const ip = randomIp();
    const started = Date.now();
    const statuses = [];
    for (let i = 0; i < 11; i++) statuses.push((await login(ip)).response.status);
    expect(Date.now() - started).toBeLessThan(11 * 600);
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses[10]).toBe(429);

    const ready = await get(server, "health.ready");
    expect(ready.response.status).toBe(503);
    expect(ready.body.error.json.data.code).toBe("SERVICE_UNAVAILABLE");
    expect(ready.body.error.json.data.checks.redis.status).toBe("down");
    expect(ready.body.error.json.data.checks.postgres.status).toBe("up");
    expect(JSON.stringify(ready.body)).not.toContain(String(redis.port));
    expect(await codeOf(clientFrom(server).health.live.query())).toBe("OK");
  });

  it("goes back to the shared limiter when Redis returns, without a restart", async () => {
    await redis.start();
    const ready = await eventually(
      () => get(server, "health.ready"),
      (r) => r.response.status === 200,
    );
    expect(ready.body.result.data.json.checks.redis.status).toBe("up");
    expect((await login(randomIp())).response.status).toBe(401);
    const probe = createClient({ url: redis.url });
    await probe.connect();
    const keys = await probe.keys(`${prefix}:*`);
    await probe.close();
    expect(keys.length).toBeGreaterThan(0); // the fresh Redis got the new counts
  });
});
