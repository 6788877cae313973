import { createHash } from "node:crypto";

import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { promoteToAdmin } from "@voiceassist/api";
import { nextcloudProvisioning, users } from "@voiceassist/db";
import { createTestDatabase, type TestDatabase } from "@voiceassist/testing/database";
import { startFakeNextcloud, type FakeNextcloudOptions } from "@voiceassist/testing/nextcloud";
import { startTestServer, type TestServer } from "@voiceassist/testing/server";
import { until } from "@voiceassist/testing/wait";
import { clientFrom, PASSWORD, signUp, signUpAdmin, uniqueEmail } from "@voiceassist/testing/users";

// The provisioning lifecycle against the fake's real-server behaviours (issue 15, defects 1–9).
const ADMIN_PASSWORD = "Nc-Admin-Pass-For-Tests!42";
type Fake = Awaited<ReturnType<typeof startFakeNextcloud>>;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const env = (fake: Fake, password = ADMIN_PASSWORD, extra: Record<string, string> = {}) => ({
  NEXTCLOUD_URL: fake.url,
  NEXTCLOUD_ADMIN_USER: "admin",
  NEXTCLOUD_ADMIN_PASSWORD: password,
  PROVISIONING_POLL_MS: "50",
  PROVISIONING_BACKOFF_MS: "50",
  ...extra,
});

const fakeOptions = (extra: Partial<FakeNextcloudOptions> = {}): FakeNextcloudOptions => ({
  adminPassword: ADMIN_PASSWORD,
  bruteForceBaseDelayMs: 1,
  ...extra,
});

const userRequests = (fake: Fake, userId: string, method: string) =>
  fake.requests.filter((r) => r.method === method && (r.form.userid === userId || decodeURIComponent(r.path).includes(userId)));
const creates = (fake: Fake, userId: string) =>
  fake.requests.filter((r) => r.method === "POST" && r.path.endsWith("/cloud/users") && r.form.userid === userId);

async function rowOf(database: TestDatabase, userId: string) {
  const [row] = await database.handle.db.select().from(nextcloudProvisioning).where(eq(nextcloudProvisioning.userId, userId));
  return row;
}

describe("Nextcloud lifecycle", () => {
  let fake: Fake;
  let database: TestDatabase;
  let server: TestServer;
  beforeAll(async () => {
    fake = await startFakeNextcloud(fakeOptions());
    database = await createTestDatabase();
    server = await startTestServer({ database, env: env(fake) });
  });
  afterAll(async () => {
    await server?.close();
    await database?.destroy();
    await fake?.close();
  });

  const provisioned = (userId: string) => async () => (await rowOf(database, userId))?.state === "provisioned";

  it("1: creates the account without a password, with the email, so Nextcloud mails a set-password link", async () => {
    const email = uniqueEmail("nc1");
    const { user } = await clientFrom(server).auth.register.mutate({ email, password: PASSWORD, fullName: "Nurse Joy" });
    await until(provisioned(user.id));
    const [create] = creates(fake, user.id);
    expect(create?.form).toMatchObject({ userid: user.id, email, displayName: "Nurse Joy" });
    expect(create?.form).not.toHaveProperty("password");
    expect(fake.mails.filter((m) => m.userId === user.id)).toEqual([{ userId: user.id, to: email, kind: "set-password" }]);
  });

  it("2: sends at most 64 characters of a long name, cut between graphemes; VoiceAssist keeps the full name", async () => {
    const fullName = `${"Dr. Maximiliane Müller-Lüdenscheidt von und zu Hohenberg ".repeat(2)}👩‍⚕️ Fachärztin`;
    const { user } = await clientFrom(server).auth.register.mutate({ email: uniqueEmail("nc2"), password: PASSWORD, fullName });
    await until(provisioned(user.id));
    const sent = fake.users.get(user.id)?.displayName ?? "";
    expect([...sent].length).toBeLessThanOrEqual(64);
    expect(sent.length).toBeGreaterThan(40);
    expect(fullName.startsWith(sent)).toBe(true);
    const [row] = await database.handle.db.select({ fullName: users.fullName }).from(users).where(eq(users.id, user.id));
    expect(row?.fullName).toBe(fullName);
  });

  it("4: repairs a half-made account (996 after creating it) until email and display name match", async () => {
    fake.failNextCreateAfterCreating();
    const email = uniqueEmail("nc4");
    const { user } = await clientFrom(server).auth.register.mutate({ email, password: PASSWORD, fullName: "Half Made" });
    await until(provisioned(user.id));
    expect(fake.users.get(user.id)).toMatchObject({ email, displayName: "Half Made", enabled: true });
    expect(creates(fake, user.id)).toHaveLength(1);
  });

  it("9: reads first; reactivation and retries never send a create for an existing account", async () => {
    const admin = await signUpAdmin(server);
    const target = await signUp(server);
    await until(provisioned(target.user.id));
    await admin.client.users.update.mutate({ id: target.user.id, isActive: false });
    await until(() => fake.users.get(target.user.id)?.enabled === false);
    await admin.client.users.update.mutate({ id: target.user.id, isActive: true });
    await until(() => fake.users.get(target.user.id)?.enabled === true);
    await admin.client.users.retryProvisioning.mutate({ id: target.user.id });
    await until(provisioned(target.user.id));
    expect(creates(fake, target.user.id)).toHaveLength(1);
    expect(userRequests(fake, target.user.id, "GET").length).toBeGreaterThanOrEqual(3);
  });

  it("3: email and name changes (own and by an admin) reach Nextcloud through PUT key/value", async () => {
    const admin = await signUpAdmin(server);
    const target = await signUp(server);
    await until(provisioned(target.user.id));
    await target.client.users.updateMe.mutate({ fullName: "Renamed Self" });
    await until(() => fake.users.get(target.user.id)?.displayName === "Renamed Self");
    const newEmail = uniqueEmail("nc3");
    await admin.client.users.update.mutate({ id: target.user.id, email: newEmail });
    await until(() => fake.users.get(target.user.id)?.email === newEmail);
    const edits = userRequests(fake, target.user.id, "PUT").filter((r) => r.form.key);
    expect(edits.map((r) => r.form.key)).toEqual(expect.arrayContaining(["displayname", "email"]));
  });

  it("8: admins made by admin:create are queued, and promoting a deactivated user re-enables Nextcloud", async () => {
    const admin = await signUpAdmin(server);
    expect((await admin.client.users.byId.query({ id: admin.user.id })).provisioning).not.toBeNull();
    await until(() => fake.users.get(admin.user.id)?.enabled === true);

    const target = await signUp(server);
    await until(provisioned(target.user.id));
    await admin.client.users.update.mutate({ id: target.user.id, isActive: false });
    await until(() => fake.users.get(target.user.id)?.enabled === false);
    await until(provisioned(target.user.id));
    const promoted = await promoteToAdmin(database.handle.db, { ...target.user, isActive: false }, { nextcloudProvisioning: true });
    expect(promoted.isActive).toBe(true);
    await until(() => fake.users.get(target.user.id)?.enabled === true);
  });

  it("5: transient failures keep retrying past the old 10-attempt limit; only permanent refusals fail", async () => {
    const target = await signUp(server);
    await until(provisioned(target.user.id));
    await fake.setMode("html500");
    await database.handle.db
      .update(nextcloudProvisioning)
      .set({ state: "pending", attempts: 12, nextAttemptAt: new Date() })
      .where(eq(nextcloudProvisioning.userId, target.user.id));
    await until(async () => ((await rowOf(database, target.user.id))?.attempts ?? 0) > 12);
    const row = await rowOf(database, target.user.id);
    await fake.setMode("ok");
    expect(row).toMatchObject({ state: "pending" });
    expect(row?.lastError).toMatch(/^server_error/);
    expect((row?.nextAttemptAt.getTime() ?? 0) - Date.now()).toBeLessThanOrEqual(3600_000 + 5000);
  });

  it("5: a restart re-queues rows an older version failed for a transient cause, not permanent ones", async () => {
    const [transient, permanent] = [await signUp(server), await signUp(server)];
    for (const t of [transient, permanent]) await until(provisioned(t.user.id));
    const fail = (userId: string, lastError: string) =>
      database.handle.db.update(nextcloudProvisioning).set({ state: "failed", lastError }).where(eq(nextcloudProvisioning.userId, userId));
    await fail(transient.user.id, "network: Could not reach Nextcloud");
    await fail(permanent.user.id, "invalid_input: Invalid displayname");
    const restarted = await startTestServer({ database, env: env(fake) });
    try {
      await until(provisioned(transient.user.id));
      expect((await rowOf(database, permanent.user.id))?.state).toBe("failed");
    } finally {
      await restarted.close();
    }
  });

  it("5: users.retryProvisioning({ all: true }) re-queues every failed row, admin only, audited", async () => {
    const admin = await signUpAdmin(server);
    const targets = [await signUp(server), await signUp(server)];
    for (const t of targets) await until(provisioned(t.user.id));
    for (const t of targets) {
      await database.handle.db
        .update(nextcloudProvisioning)
        .set({ state: "failed", lastError: "invalid_input: simulated" })
        .where(eq(nextcloudProvisioning.userId, t.user.id));
    }
    await expect(targets[0]?.client.users.retryProvisioning.mutate({ all: true })).rejects.toMatchObject({ data: { code: "FORBIDDEN" } });
    const result = await admin.client.users.retryProvisioning.mutate({ all: true });
    expect(result).toEqual({ queued: expect.any(Number) });
    expect("queued" in result && result.queued).toBeGreaterThanOrEqual(2);
    for (const t of targets) await until(provisioned(t.user.id));
    const events = await admin.client.audit.list.query({ action: "admin.user.retry_provisioning" });
    expect(events.items.some((e) => (e.detail as { all?: boolean } | null)?.all === true)).toBe(true);
  });
});

describe("Nextcloud with a wrong admin password", () => {
  let fake: Fake;
  let database: TestDatabase;
  let server: TestServer;
  beforeAll(async () => {
    fake = await startFakeNextcloud(fakeOptions());
    database = await createTestDatabase();
    server = await startTestServer({ database, env: env(fake, "wrong-password-for-tests") });
  });
  afterAll(async () => {
    await server?.close();
    await database?.destroy();
    await fake?.close();
  });

  it("6: health.ready says 'credentials rejected' instead of up", async () => {
    const ready = await server.client().health.ready.query();
    expect(ready.status).toBe("degraded");
    expect(ready.checks.nextcloud).toMatchObject({ status: "down", detail: "credentials rejected" });
    expect(JSON.stringify(ready)).not.toContain("wrong-password-for-tests");
  });

  it("7: stops logging in after the first refusal, so brute-force protection never locks us out", async () => {
    for (let i = 0; i < 5; i++) await clientFrom(server).auth.register.mutate({ email: uniqueEmail("nc7"), password: PASSWORD });
    await sleep(1500); // ~30 worker polls and several readiness rounds
    await server.client().health.ready.query();
    expect(fake.bruteForceAttempts()).toBeLessThanOrEqual(2);
    const admin = await signUpAdmin(server);
    const listed = await admin.client.users.list.query({ limit: 10 });
    // Refused credentials are not the user's fault: nothing is failed, everything waits.
    expect(listed.items.every((u) => u.provisioning?.state === "pending")).toBe(true);
  });
});

describe("Nextcloud credentials fixed while the breaker is open", () => {
  let fake: Fake;
  let database: TestDatabase;
  let server: TestServer;
  const WRONG = "wrong-until-fixed-for-tests";
  beforeAll(async () => {
    fake = await startFakeNextcloud(fakeOptions());
    database = await createTestDatabase();
    server = await startTestServer({ database, env: env(fake, WRONG, { NEXTCLOUD_RECHECK_MS: "400" }) });
  });
  afterAll(async () => {
    await server?.close();
    await database?.destroy();
    await fake?.close();
  });

  it("7: one re-check per interval; once it succeeds the queued users are provisioned", async () => {
    const { user } = await clientFrom(server).auth.register.mutate({ email: uniqueEmail("nc7b"), password: PASSWORD });
    await sleep(1000);
    expect(fake.bruteForceAttempts()).toBeLessThanOrEqual(4); // ~1 s / 400 ms, plus readiness at most once
    expect(fake.users.has(user.id)).toBe(false);
    const admin = fake.users.get("admin");
    if (admin) admin.passwordHash = createHash("sha256").update(WRONG, "utf8").digest("hex"); // the operator fixes it
    await until(async () => (await rowOf(database, user.id))?.state === "provisioned");
    expect((await server.client().health.ready.query()).checks.nextcloud.status).toBe("up");
  });
});

describe("Nextcloud throttling", () => {
  let fake: Fake;
  let database: TestDatabase;
  let server: TestServer;
  beforeAll(async () => {
    fake = await startFakeNextcloud(fakeOptions({ editUserLimit: { limit: 1, periodMs: 600_000 } }));
    database = await createTestDatabase();
    server = await startTestServer({ database, env: env(fake) });
  });
  afterAll(async () => {
    await server?.close();
    await database?.destroy();
    await fake?.close();
  });

  it("3/7: an HTTP 429 from the edit limit is 'throttled' and backs off past 30 minutes", async () => {
    fake.failNextCreateAfterCreating(); // the repair needs two edits; the limit allows one
    const { user } = await clientFrom(server).auth.register.mutate({
      email: uniqueEmail("nc429"),
      password: PASSWORD,
      fullName: "Rate Limited",
    });
    await until(async () => (await rowOf(database, user.id))?.lastError?.startsWith("throttled") === true);
    const row = await rowOf(database, user.id);
    expect(row?.state).toBe("pending");
    expect((row?.nextAttemptAt.getTime() ?? 0) - Date.now()).toBeGreaterThan(30 * 60_000);
  });
});
