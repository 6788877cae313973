import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createTestDatabase, type TestDatabase } from "@voiceassist/testing/database";

import { plainRequest, spawnServer, startScript, waitForHttp, type ServerProcess } from "@voiceassist/testing/server-process";
import { TEST_JWT_SECRET } from "@voiceassist/testing/server";
import { PASSWORD, randomIp, uniqueEmail } from "@voiceassist/testing/users";
import { testEnv } from "@voiceassist/testing/env";

/**
 * SIGTERM while the real server process is busy, started as `npm start`
 * starts it: what was already sent is answered, new connections are
 * refused (or told 503), and the process exits 0 within the bound.
 */

const EXIT_BOUND_MS = 15_000;

type Kind = "login" | "me" | "live";
interface Tracked {
  kind: Kind;
  issuedAt: number;
  sentAt?: number;
  doneAt?: number;
  status?: number;
  error?: string;
}

describe("graceful shutdown of the real server process", () => {
  let proc: ServerProcess;
  let database: TestDatabase | undefined;

  beforeAll(async () => {
    // Real-services path: a fresh database of its own, as the in-process harness does.
    if (testEnv.databaseUrl) database = await createTestDatabase();
    proc = await spawnServer({
      NODE_ENV: "production",
      JWT_SECRET: TEST_JWT_SECRET,
      // bcrypt at 10 rounds keeps logins the slow requests without outlasting the 10 s grace on a busy machine.
      BCRYPT_ROUNDS: "10",
      LOG_LEVEL: testEnv.debugShutdown ? "info" : "warn",
      TRUST_PROXY: "127.0.0.1",
      DATABASE_URL: database?.url,
      REDIS_URL: testEnv.redisUrl,
    });
    await waitForHttp(`${proc.trpcUrl}/health.live`, 45_000, proc.exited);
  }, 60_000);

  afterAll(async () => {
    await proc?.destroy();
    await database?.destroy();
  }, 30_000);

  const json = (input: unknown) => JSON.stringify({ json: input });

  it("finishes accepted requests, refuses new ones, and exits 0 within the bound", async () => {
    const email = uniqueEmail("shutdown");
    const headers = { "content-type": "application/json" };
    const registered = await plainRequest(`${proc.trpcUrl}/auth.register`, {
      method: "POST",
      headers: { ...headers, "x-forwarded-for": randomIp() },
      body: json({ email, password: PASSWORD }),
    });
    expect(registered.status).toBe(200);
    const login = await plainRequest(`${proc.trpcUrl}/auth.login`, {
      method: "POST",
      headers: { ...headers, "x-forwarded-for": randomIp() },
      body: json({ email, password: PASSWORD }),
    });
    const accessToken = JSON.parse(login.body).result.data.json.accessToken as string;

    const tracked: Tracked[] = [];
    let exited = false;
    void proc.exited.then(() => (exited = true));
    let sigtermAt = Infinity;

    const issue = async (kind: Kind) => {
      const t: Tracked = { kind, issuedAt: performance.now() };
      tracked.push(t);
      const onSent = () => (t.sentAt = performance.now());
      const ip = randomIp();
      try {
        const res =
          kind === "login"
            ? await plainRequest(`${proc.trpcUrl}/auth.login`, {
                method: "POST",
                headers: { ...headers, "x-forwarded-for": ip },
                body: json({ email, password: PASSWORD }),
                onSent,
              })
            : await plainRequest(`${proc.trpcUrl}/${kind === "me" ? "auth.me" : "health.live"}`, {
                headers: { "x-forwarded-for": ip, authorization: `Bearer ${accessToken}` },
                onSent,
              });
        t.status = res.status;
      } catch (error) {
        t.error = (error as NodeJS.ErrnoException).code ?? String(error);
      }
      t.doneAt = performance.now();
    };

    // 20 callers, 8 of them logging in (bcrypt), until the process is gone.
    const kinds: Kind[] = [...Array<Kind>(8).fill("login"), ...Array<Kind>(6).fill("me"), ...Array<Kind>(6).fill("live")];
    const workers = kinds.map(async (kind) => {
      while (!exited) {
        await issue(kind);
        // After SIGTERM, keep knocking (new connections) without spinning.
        if (performance.now() > sigtermAt) await new Promise((r) => setTimeout(r, 25));
      }
    });

    // SIGTERM mid-stream: once traffic has flowed a while and several logins are in flight.
    const started = performance.now();
    const loginsInFlight = () => tracked.filter((t) => t.kind === "login" && t.sentAt !== undefined && t.doneAt === undefined).length;
    while (performance.now() - started < 800 || loginsInFlight() < 4) {
      if (performance.now() - started > 10_000) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    const inFlightAtSigterm = tracked.filter((t) => t.sentAt !== undefined && t.doneAt === undefined).length;
    sigtermAt = performance.now();
    proc.child.kill("SIGTERM");

    const exit = await Promise.race([proc.exited, new Promise<null>((r) => setTimeout(() => r(null), EXIT_BOUND_MS))]);
    await Promise.all(workers.map((w) => Promise.race([w, new Promise((r) => setTimeout(r, 5_000))])));

    const show = (t: Tracked) =>
      `${t.kind} sent ${t.sentAt === undefined ? "never" : `${Math.round(t.sentAt - sigtermAt)} ms`} → ${t.status ?? t.error}`;
    const dump = tracked
      .filter((t) => t.sentAt === undefined || t.sentAt > sigtermAt - 1_000)
      .map(show)
      .join("\n");

    expect(inFlightAtSigterm, "SIGTERM was not sent mid-stream").toBeGreaterThanOrEqual(4);
    expect(exit, `no exit within ${EXIT_BOUND_MS} ms\n${proc.output().slice(-2000)}`).not.toBeNull();
    // 143 without a "stopped" line means the server was killed before its own SIGTERM handler could finish.
    const logs = proc
      .output()
      .split("\n")
      .filter((l) => !l.includes('"msg":"request"'))
      .join("\n")
      .slice(-3000);
    // Soft from here on: each property is reported on its own, so one run shows the whole picture.
    expect
      .soft({ code: exit!.code, signal: exit!.signal }, `exit after SIGTERM to \`${startScript()}\`\n${logs}`)
      .toEqual({ code: 0, signal: null });
    expect.soft(exit!.at - sigtermAt).toBeLessThan(EXIT_BOUND_MS);

    // Sent before SIGTERM: a real HTTP answer (done, or 503 if it had not started), never a reset or hang-up.
    const sentBefore = tracked.filter((t) => t.sentAt !== undefined && t.sentAt < sigtermAt);
    expect.soft(sentBefore.filter((t) => t.status !== 200 && t.status !== 503).map(show), dump).toEqual([]);
    // The slow work in flight at SIGTERM was finished, not dropped.
    const loginsInFlightAtSigterm = sentBefore.filter((t) => t.kind === "login" && t.doneAt! > sigtermAt);
    expect.soft(loginsInFlightAtSigterm.filter((t) => t.status === 200).length, dump).toBeGreaterThan(0);

    // Once the listener is closed (the first refusal), every new connection is refused or told 503.
    const firstRefusal = Math.min(...tracked.filter((t) => t.error === "ECONNREFUSED").map((t) => t.doneAt!));
    expect(firstRefusal, "new connections were never refused").toBeLessThan(Infinity);
    const afterClose = tracked.filter((t) => t.issuedAt > firstRefusal);
    expect.soft(afterClose.filter((t) => t.error !== "ECONNREFUSED" && t.status !== 503).map(show), dump).toEqual([]);
    // In between (sent after SIGTERM, before the listener closed) anything but a hang is fair: served, 503, refused or reset.
    const between = tracked.filter((t) => !sentBefore.includes(t) && !afterClose.includes(t));
    expect
      .soft(between.filter((t) => t.status === undefined && !["ECONNREFUSED", "ECONNRESET", "EPIPE"].includes(t.error!)).map(show), dump)
      .toEqual([]);

    // Shut down cleanly: no error lines, the grace period never ran out.
    expect.soft(proc.output()).not.toMatch(/"level":(50|60)|grace period exceeded/);

    // And the port is really closed.
    await expect(plainRequest(`${proc.trpcUrl}/health.live`, { timeoutMs: 2_000 })).rejects.toMatchObject({ code: "ECONNREFUSED" });
  }, 60_000);
});
