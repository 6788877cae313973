import { spawn } from "node:child_process";
import { statSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { auditEvents, createDatabase, users } from "@voiceassist/db";
import { createTestDatabase, type TestDatabase } from "@voiceassist/testing/database";
import { minimalChildEnv, testEnv } from "@voiceassist/testing/env";
import { plainRequest, spawnServer, waitForHttp, type ServerProcess } from "@voiceassist/testing/server-process";

const cli = resolve(import.meta.dirname, "../src/cli/create-admin.ts");
const seedCli = resolve(import.meta.dirname, "../src/cli/seed.ts");
const tsx = resolve(import.meta.dirname, "../../../node_modules/.bin/tsx");
const FAST = { BCRYPT_ROUNDS: "4" };

async function start(env: Record<string, string>): Promise<ServerProcess> {
  const server = await spawnServer({ ...FAST, LOG_LEVEL: "info", ...env });
  await waitForHttp(`${server.trpcUrl}/health.live`, 60_000, server.exited);
  return server;
}

async function stop(server: ServerProcess) {
  server.child.kill("SIGTERM");
  await server.exited;
}

const signIn = (server: ServerProcess, email: string, password: string) =>
  plainRequest(`${server.trpcUrl}/auth.login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ json: { email, password } }),
  });

const adminCreate = (dataDir: string, args: string[], env: Record<string, string> = {}) => runCli(cli, dataDir, args, env);

function runCli(script: string, dataDir: string, args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number | null; out: string }>((done) => {
    const child = spawn(tsx, [script, ...args], {
      env: { ...minimalChildEnv(), ...FAST, LOG_LEVEL: "silent", DATA_DIR: dataDir, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("exit", (code) => done({ code, out }));
  });
}

/** A raw request to the dev channel's socket, with whatever authorization the test chooses. */
function channelPost(socketPath: string, authorization: string | undefined, body: object) {
  return new Promise<number>((done, reject) => {
    const req = request({
      socketPath,
      path: "/admin",
      method: "POST",
      headers: { "content-type": "application/json", ...(authorization ? { authorization } : {}) },
    });
    req.on("error", reject);
    req.on("response", (res) => {
      res.resume();
      res.on("end", () => done(res.statusCode ?? 0));
    });
    req.end(JSON.stringify(body));
  });
}

describe("FIRST_ADMIN_EMAIL and FIRST_ADMIN_PASSWORD", () => {
  const PASSWORD = "first-admin-password-7";
  let dataDir: string;
  let testDb: TestDatabase | undefined;
  let env: Record<string, string>;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "va-first-admin-"));
    env = { DATA_DIR: dataDir, FIRST_ADMIN_EMAIL: "Chief@Clinic.example", FIRST_ADMIN_PASSWORD: PASSWORD };
    if (testEnv.databaseUrl) {
      testDb = await createTestDatabase();
      await testDb.handle.close();
      env.DATABASE_URL = testDb.url!;
    }
  });
  afterAll(async () => {
    await testDb?.destroy().catch(() => {});
    await rm(dataDir, { recursive: true, force: true });
  });

  const openDb = () => (testDb ? createDatabase({ url: testDb.url! }) : createDatabase({ dataDir: join(dataDir, "pglite") }));

  it("creates the admin at start, once: restarts change nothing, audit one event, never log the password", async () => {
    const outputs: string[] = [];
    for (let round = 0; round < 2; round++) {
      const server = await start(env);
      expect((await signIn(server, "chief@clinic.example", PASSWORD)).status).toBe(200);
      await stop(server);
      outputs.push(server.output());
    }
    expect(outputs[0]).toMatch(/FIRST_ADMIN_EMAIL: admin created/);
    expect(outputs[1]).not.toMatch(/FIRST_ADMIN_EMAIL: admin/);
    for (const output of outputs) expect(output).not.toContain(PASSWORD);

    const db = await openDb();
    try {
      const [row] = await db.db.select().from(users).where(eq(users.email, "chief@clinic.example"));
      expect(row).toMatchObject({ isAdmin: true, isActive: true });
      const events = await db.db.select().from(auditEvents).where(eq(auditEvents.targetUserId, row!.id));
      const changes = events.filter((e) => e.action !== "auth.login");
      expect(changes.map((e) => [e.action, e.userAgent])).toEqual([["auth.register", "FIRST_ADMIN_EMAIL"]]);
      // Demoted and deactivated by someone: the next start promotes it back, keeping its password.
      await db.db.update(users).set({ isAdmin: false, isActive: false }).where(eq(users.id, row!.id));
    } finally {
      await db.close();
    }
    const server = await start({ ...env, FIRST_ADMIN_PASSWORD: "a-different-password-9" });
    try {
      expect(server.output()).toMatch(/FIRST_ADMIN_EMAIL: admin promoted/);
      expect((await signIn(server, "chief@clinic.example", PASSWORD)).status).toBe(200);
    } finally {
      await stop(server);
    }
    const after = await openDb();
    try {
      const promoted = await after.db
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.action, "admin.user.update"), eq(auditEvents.userAgent, "FIRST_ADMIN_EMAIL")));
      expect(promoted).toHaveLength(1);
    } finally {
      await after.close();
    }
  }, 240_000);

  it("refuses one without the other, naming the missing variable", async () => {
    const server = await spawnServer({ FIRST_ADMIN_EMAIL: "lonely@example.com" });
    try {
      expect((await server.exited).code).toBe(1);
      expect(server.output().trim()).toBe("Invalid configuration: FIRST_ADMIN_PASSWORD is required with FIRST_ADMIN_EMAIL");
    } finally {
      await server.destroy();
    }
  }, 60_000);
});

describe.skipIf(Boolean(testEnv.databaseUrl))("admin:create while the development server holds the embedded database", () => {
  let dataDir: string;
  let server: ServerProcess;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "va-dev-channel-"));
    server = await start({ DATA_DIR: dataDir, LOG_LEVEL: "warn" });
  }, 90_000);
  afterAll(async () => {
    if (server) await stop(server);
    await rm(dataDir, { recursive: true, force: true });
  });

  it("db:seed fills the empty database through the running server, whose printed admin password signs in", async () => {
    const seed = await runCli(seedCli, dataDir, []);
    expect(seed.code).toBe(0);
    const password = /admin +admin@demo-clinic\.example +password: (\S+)/.exec(seed.out)?.[1];
    expect(password).toBeTruthy();
    expect((await signIn(server, "admin@demo-clinic.example", password!)).status).toBe(200);
    const again = await runCli(seedCli, dataDir, []);
    expect(again.code).toBe(1);
    expect(again.out).toMatch(/^db:seed: the database already has 31 account\(s\)/);
  }, 120_000);

  it("creates the admin through the running server, who can then sign in; a second run changes nothing", async () => {
    const created = await adminCreate(dataDir, ["--email", "live@example.com"], { ADMIN_PASSWORD: "live-admin-password" });
    expect(created.out).toMatch(/created admin live@example\.com .*through the running server/);
    expect(created.code).toBe(0);
    expect((await signIn(server, "live@example.com", "live-admin-password")).status).toBe(200);
    const again = await adminCreate(dataDir, ["--email", "live@example.com"]);
    expect(again.out).toMatch(/live@example\.com .* is already an admin/);
    expect(again.code).toBe(0);
  }, 120_000);

  it("answers only on a 0600 socket in the data directory, and only with the token the server wrote", async () => {
    const socket = join(dataDir, "dev.sock");
    expect(statSync(socket).mode & 0o777).toBe(0o600);
    expect(statSync(join(dataDir, "dev-token")).mode & 0o777).toBe(0o600);
    const attempt = { email: "intruder@example.com", password: "intruder-password" };
    expect(await channelPost(socket, undefined, attempt)).toBe(401);
    expect(await channelPost(socket, `Bearer ${"0".repeat(64)}`, attempt)).toBe(401);
    expect((await signIn(server, attempt.email, attempt.password)).status).toBe(401);
    // Nothing of the channel on the API's own port.
    expect((await plainRequest(`http://127.0.0.1:${server.port}/admin`, { method: "POST", body: "{}" })).status).toBe(404);
  });

  it("is not opened in production", async () => {
    const prodDir = await mkdtemp(join(tmpdir(), "va-dev-channel-prod-"));
    const production = await start({ DATA_DIR: prodDir, NODE_ENV: "production", JWT_SECRET: "p".repeat(40) });
    try {
      expect(() => statSync(join(prodDir, "dev.sock"))).toThrow(/ENOENT/);
      expect(() => statSync(join(prodDir, "dev-token"))).toThrow(/ENOENT/);
    } finally {
      await stop(production);
      await rm(prodDir, { recursive: true, force: true });
    }
  }, 90_000);
});
