import { createServer, type Server, type Socket } from "node:net";

import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createDatabase, migrateDatabase, type DatabaseHandle } from "@voiceassist/db";
import { createTestDatabase, type TestDatabase } from "@voiceassist/testing/database";

import { loadConfig } from "../../src/config";
import { openConfiguredDatabase } from "../../src/deps";
import { canRunPrivatePostgres, startPrivatePostgres, type PrivatePostgres } from "@voiceassist/testing/postgres-process";
import { freePort } from "@voiceassist/testing/ports";
import { send, type RawResponse } from "@voiceassist/testing/raw-http";
import { startTestServer, type TestServer } from "@voiceassist/testing/server";
import { PASSWORD, randomIp, signUp, uniqueEmail } from "@voiceassist/testing/users";
import { testEnv } from "@voiceassist/testing/env";

/**
 * F12: a stalled or unreachable Postgres must not stall each call for as long
 * as it lasts. Statements are bounded by `statement_timeout` (SQLSTATE 57014),
 * connections by `connect_timeout`; either answers 503 SERVICE_UNAVAILABLE
 * "Database unavailable, try again" instead of hanging or a 500, and the
 * failed statement's parameters (email, bcrypt hash) stay out of the log.
 */

const STATEMENT_TIMEOUT_MS = 1_000;
const SLACK_MS = 1_500;
const UNAVAILABLE = "Database unavailable, try again";

function logSink() {
  let raw = "";
  const write = (chunk: string) => {
    raw += chunk;
  };
  return { raw: () => raw, destination: { write } };
}

const call = (server: TestServer, path: string, input?: unknown, headers: Record<string, string> = {}) =>
  send(`${server.trpcUrl}/${path}`, {
    method: input === undefined ? "GET" : "POST",
    headers: { "content-type": "application/json", "x-forwarded-for": randomIp(), ...headers },
    body: input === undefined ? undefined : JSON.stringify({ json: input }),
    timeoutMs: 20_000,
  });

async function timed(request: Promise<RawResponse>) {
  const started = performance.now();
  const res = await request;
  return { ...res, ms: performance.now() - started };
}

function expectUnavailable(res: RawResponse & { ms: number }, boundMs: number) {
  expect(res.status, res.text).toBe(503);
  expect(res.body.error.json.data.code).toBe("SERVICE_UNAVAILABLE");
  expect(res.body.error.json.message).toBe(UNAVAILABLE);
  expect(res.text).not.toMatch(/params|select|insert|57014|timeout|ECONNREFUSED|\$2[aby]\$/i);
  expect(res.ms, "answered within the bound").toBeLessThan(boundMs);
}

/** Real Postgres: the shared server DATABASE_URL names, else a private cluster, else skipped (embedded PGlite has no second session to hold a lock). */
const realPostgres = Boolean(testEnv.databaseUrl) || canRunPrivatePostgres();

describe.runIf(realPostgres)("a statement stalled on a lock (real Postgres)", () => {
  let cluster: PrivatePostgres | undefined;
  let fresh: TestDatabase | undefined;
  let url: string;
  let database: TestDatabase;
  let server: TestServer;
  let locker: postgres.Sql;
  const sink = logSink();

  beforeAll(async () => {
    if (testEnv.databaseUrl) {
      fresh = await createTestDatabase();
      url = fresh.url!;
    } else {
      cluster = await startPrivatePostgres();
      url = await cluster.createDatabase("va_timeouts");
    }
    const handle = await createDatabase({ url, maxConnections: 5, statementTimeoutMs: STATEMENT_TIMEOUT_MS });
    await migrateDatabase(handle);
    database = { handle, url, destroy: () => handle.close() };
    server = await startTestServer({ database, env: { LOG_LEVEL: "info" }, logDestination: sink.destination });
    locker = postgres(url, { max: 1, onnotice: () => {} });
  }, 90_000);

  afterAll(async () => {
    await server?.close();
    await database?.destroy();
    await locker?.end({ timeout: 5 });
    await fresh?.destroy();
    await cluster?.destroy();
  }, 60_000);

  /** Holds an ACCESS EXCLUSIVE lock on `table` in an open transaction until the returned release() is called. */
  async function lockTable(table: string) {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const done = locker.begin(async (tx) => {
      await tx.unsafe(`lock table ${table} in access exclusive mode`);
      locked();
      await released;
    });
    await isLocked;
    return async () => {
      release();
      await done;
    };
  }

  it("the configured DB_STATEMENT_TIMEOUT_MS reaches every pooled connection (default 5 s)", async () => {
    const base = { NODE_ENV: "test", DATABASE_URL: url };
    for (const [env, expected] of [
      [{}, "5s"],
      [{ DB_STATEMENT_TIMEOUT_MS: "1500" }, "1500ms"],
    ] as const) {
      const handle = await openConfiguredDatabase(loadConfig({ ...base, ...env }, process.cwd()));
      try {
        const rows = (await handle.db.execute("show statement_timeout")) as unknown as { statement_timeout: string }[];
        expect(rows[0]?.statement_timeout).toBe(expected);
      } finally {
        await handle.close();
      }
    }
  });

  it("auth.register while `users` is locked: 503 within the timeout, no email or hash in the log", async () => {
    const release = await lockTable("users");
    const email = uniqueEmail("stalled");
    try {
      const res = await timed(call(server, "auth.register", { email, password: PASSWORD }));
      expectUnavailable(res, STATEMENT_TIMEOUT_MS + SLACK_MS);
      expect(res.ms).toBeGreaterThanOrEqual(STATEMENT_TIMEOUT_MS - 100);
    } finally {
      await release();
    }
    const raw = sink.raw();
    // Logged for the operator (as a warning, with the driver's SQLSTATE), but without the statement's values.
    expect(raw).toContain("database unavailable");
    expect(raw).toContain("57014");
    expect(raw).not.toContain(email);
    expect(raw).not.toMatch(/\$2[aby]\$/);
    expect(raw).not.toContain("params");
    // Once the lock is gone the same registration goes through: nothing half-written blocks the retry.
    expect((await call(server, "auth.register", { email, password: PASSWORD })).status).toBe(200);
  });

  it("auth.me while `sessions` is locked: 503 within the timeout; fine again afterwards", async () => {
    const user = await signUp(server);
    const auth = { authorization: `Bearer ${user.tokens.accessToken}` };
    const release = await lockTable("sessions");
    try {
      const answers = await Promise.all(Array.from({ length: 5 }, () => timed(call(server, "auth.me", undefined, auth))));
      for (const res of answers) expectUnavailable(res, STATEMENT_TIMEOUT_MS + SLACK_MS);
    } finally {
      await release();
    }
    expect((await call(server, "auth.me", undefined, auth)).status).toBe(200);
  });
});

describe("an unreachable Postgres (any driver setting)", () => {
  let silent: Server;
  const sockets = new Set<Socket>();
  let silentPort: number;
  let refusedPort: number;

  beforeAll(async () => {
    // Accepts connections and never says a word: a stalled server, as far as the driver can tell.
    silent = createServer((socket) => {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
    });
    silentPort = await freePort();
    await new Promise<void>((resolve) => silent.listen(silentPort, "127.0.0.1", resolve));
    refusedPort = await freePort(); // nothing listens there
  });

  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => silent?.close(resolve));
  });

  async function serverOn(port: number, connectTimeoutMs: number) {
    const handle: DatabaseHandle = await createDatabase({
      url: `postgres://postgres@127.0.0.1:${port}/none`,
      maxConnections: 2,
      connectTimeoutMs,
    });
    const database: TestDatabase = { handle, url: handle.options.url, destroy: () => handle.close() };
    return startTestServer({ database });
  }

  it("connection refused: auth.login answers 503 at once", async () => {
    const server = await serverOn(refusedPort, 1_000);
    try {
      const res = await timed(call(server, "auth.login", { email: uniqueEmail(), password: PASSWORD }));
      expectUnavailable(res, 2_000);
    } finally {
      await server.close();
    }
  });

  it("a server that never answers: auth.login answers 503 within the connect timeout", async () => {
    const server = await serverOn(silentPort, 800);
    try {
      const res = await timed(call(server, "auth.login", { email: uniqueEmail(), password: PASSWORD }));
      expectUnavailable(res, 800 + SLACK_MS);
    } finally {
      await server.close();
    }
  });
});
