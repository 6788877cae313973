import { readFileSync } from "node:fs";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createTestDatabase, type TestDatabase } from "@voiceassist/testing/database";
import { testEnv } from "@voiceassist/testing/env";
import { plainRequest, spawnServer, waitForHttp, type ServerProcess } from "@voiceassist/testing/server-process";

import { loadConfig } from "../src/config";

const JWT_SECRET = "cluster-test-secret-that-is-long-enough!!";

describe("WEB_CONCURRENCY", () => {
  it("defaults to one process, and above 1 is refused without DATABASE_URL (PGlite is single-process)", () => {
    expect(loadConfig({}, "/srv/app").WEB_CONCURRENCY).toBe(1);
    expect(() => loadConfig({ WEB_CONCURRENCY: "2" }, "/srv/app")).toThrow(
      "Invalid configuration: WEB_CONCURRENCY above 1 needs DATABASE_URL: the embedded database (PGlite) can be opened by one process only",
    );
    expect(loadConfig({ WEB_CONCURRENCY: "2", DATABASE_URL: "postgres://db/x" }, "/srv/app").WEB_CONCURRENCY).toBe(2);
  });

  it("the entry point refuses it on the embedded database, with the reason", async () => {
    const server = await spawnServer({ WEB_CONCURRENCY: "2", JWT_SECRET });
    try {
      const { code } = await server.exited;
      expect(code).toBe(1);
      expect(server.output()).toContain("WEB_CONCURRENCY above 1 needs DATABASE_URL");
    } finally {
      await server.destroy();
    }
  }, 150_000);
});

/** Children of `pid` (node:cluster workers), from /proc. */
const childrenOf = (pid: number) => readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").split(" ").filter(Boolean).map(Number);

// Several processes need a shared database: Postgres only (DATABASE_URL set).
describe.skipIf(!testEnv.databaseUrl)("two workers behind one port (Postgres)", () => {
  let database: TestDatabase;
  let server: ServerProcess;
  let primary: number;

  beforeAll(async () => {
    database = await createTestDatabase();
    server = await spawnServer({ DATABASE_URL: database.url, WEB_CONCURRENCY: "2", JWT_SECRET, BCRYPT_ROUNDS: "4" });
    await waitForHttp(`${server.trpcUrl}/health.live`, 150_000, server.exited);
    primary = server.child.pid ?? 0;
  }, 180_000);
  afterAll(async () => {
    await server?.destroy();
    await database?.destroy();
  });

  const call = (path: string, input: unknown, token?: string) =>
    plainRequest(`${server.trpcUrl}/${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ json: input }),
    });
  // Each plainRequest is its own connection, so calls spread over the workers.
  const me = (token: string) => plainRequest(`${server.trpcUrl}/auth.me`, { headers: { authorization: `Bearer ${token}` } });

  it("runs two workers; a session revoked through one is refused by every one, at once", async () => {
    // Both workers may still be starting: wait until two are listening.
    await expect.poll(() => childrenOf(primary).length, { timeout: 30_000 }).toBe(2);
    const credentials = { email: "cluster@example.com", password: "a-long-enough-passphrase-42" };
    expect((await call("auth.register", credentials)).status).toBe(200);
    const login = await call("auth.login", credentials);
    const { accessToken } = JSON.parse(login.body).result.data.json as { accessToken: string };
    const before = await Promise.all(Array.from({ length: 20 }, () => me(accessToken)));
    expect(before.map((r) => r.status)).toEqual(Array(20).fill(200));

    expect((await call("auth.logout", {}, accessToken)).status).toBe(200);
    const after = await Promise.all(Array.from({ length: 20 }, () => me(accessToken)));
    expect(after.map((r) => r.status)).toEqual(Array(20).fill(401));
  }, 60_000);

  it("SIGTERM drains every worker and the primary exits 0", async () => {
    const workers = childrenOf(primary);
    expect(workers).toHaveLength(2);
    server.child.kill("SIGTERM");
    const { code } = await server.exited;
    expect(code).toBe(0);
    for (const pid of workers) expect(() => process.kill(pid, 0)).toThrow(); // gone
  }, 60_000);
});
