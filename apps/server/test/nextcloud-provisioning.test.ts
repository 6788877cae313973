import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { nextcloudProvisioning } from "@voiceassist/db";
import { createTestDatabase, type TestDatabase } from "@voiceassist/testing/database";
import { startFakeNextcloud } from "@voiceassist/testing/nextcloud";

import { startTestServer, type TestServer } from "@voiceassist/testing/server";
import { until } from "@voiceassist/testing/wait";
import { clientFrom, get, PASSWORD, signUp, signUpAdmin, uniqueEmail } from "@voiceassist/testing/users";

const ADMIN_PASSWORD = "Nc-Admin-Pass-For-Tests!42";
type Fake = Awaited<ReturnType<typeof startFakeNextcloud>>;

const nextcloudEnv = (fake: Fake) => ({
  NEXTCLOUD_URL: fake.url,
  NEXTCLOUD_ADMIN_USER: "admin",
  NEXTCLOUD_ADMIN_PASSWORD: ADMIN_PASSWORD,
  PROVISIONING_POLL_MS: "50",
  PROVISIONING_BACKOFF_MS: "50",
});

const creates = (fake: Fake, userId: string) =>
  fake.requests.filter((r) => r.method === "POST" && r.path.endsWith("/cloud/users") && r.form.userid === userId).length;

describe("Nextcloud provisioning", () => {
  let fake: Fake;
  let database: TestDatabase;
  let one: TestServer;
  let two: TestServer;
  beforeAll(async () => {
    fake = await startFakeNextcloud({ adminPassword: ADMIN_PASSWORD });
    database = await createTestDatabase();
    // Two instances draining one queue: each user must still be created exactly once.
    one = await startTestServer({ database, env: nextcloudEnv(fake) });
    two = await startTestServer({ database, env: nextcloudEnv(fake) });
  });
  afterAll(async () => {
    await one?.close();
    await two?.close();
    await database?.destroy();
    await fake?.close();
  });

  it("registers at once while Nextcloud is down, provisions exactly once when it returns", async () => {
    await fake.setMode("down");
    const emails = [uniqueEmail("nc"), uniqueEmail("nc"), uniqueEmail("nc")];
    const started = Date.now();
    const ids: string[] = [];
    for (const email of emails) {
      const { user } = await clientFrom(one).auth.register.mutate({ email, password: PASSWORD, fullName: "Nurse Joy" });
      ids.push(user.id);
    }
    expect(Date.now() - started).toBeLessThan(3000); // registration never waits on Nextcloud
    const admin = await signUpAdmin(one);
    const pending = await admin.client.users.byId.query({ id: ids[0]! });
    expect(pending.provisioning?.state).toBe("pending");

    await fake.setMode("ok");
    await until(() => ids.every((id) => fake.users.get(id)?.enabled === true));
    for (const id of ids) expect(creates(fake, id)).toBe(1);
    const created = fake.users.get(ids[0]!)!;
    expect(created).toMatchObject({ displayName: "Nurse Joy", email: emails[0] });
    // No password is sent at all: Nextcloud mails the user a link to set their own.
    expect(fake.requests.some((r) => JSON.stringify(r).includes(PASSWORD))).toBe(false);
    await until(async () => (await admin.client.users.byId.query({ id: ids[0]! })).provisioning?.state === "provisioned");
  });

  it("completes an account a create left half-made (996), instead of counting 'user already exists'", async () => {
    fake.failNextCreateAfterCreating();
    const { user } = await clientFrom(one).auth.register.mutate({ email: uniqueEmail("nc996"), password: PASSWORD });
    const admin = await signUpAdmin(one);
    await until(async () => (await admin.client.users.byId.query({ id: user.id })).provisioning?.state === "provisioned");
    expect(fake.users.get(user.id)?.enabled).toBe(true);
  });

  it("deactivation and deletion disable the Nextcloud user; reactivation enables it", async () => {
    const admin = await signUpAdmin(one);
    const target = await signUp(one);
    await until(() => fake.users.get(target.user.id)?.enabled === true);
    await admin.client.users.update.mutate({ id: target.user.id, isActive: false });
    await until(() => fake.users.get(target.user.id)?.enabled === false);
    await admin.client.users.update.mutate({ id: target.user.id, isActive: true });
    await until(() => fake.users.get(target.user.id)?.enabled === true);
    await admin.client.users.delete.mutate({ id: target.user.id });
    await until(() => fake.users.get(target.user.id)?.enabled === false);
  });

  it("marks a job failed on a permanent refusal and lets an admin retry it", async () => {
    const admin = await signUpAdmin(one);
    const target = await signUp(one);
    // Wait for the worker to settle the job, not just for Nextcloud to have the user:
    // otherwise its "provisioned" write can land after the simulated failure below.
    await until(async () => (await admin.client.users.byId.query({ id: target.user.id })).provisioning?.state === "provisioned");
    await database.handle.db
      .update(nextcloudProvisioning)
      .set({ state: "failed", lastError: "invalid_input: simulated" })
      .where(eq(nextcloudProvisioning.userId, target.user.id));
    const listed = await admin.client.users.list.query({ search: target.email });
    expect(listed.items[0]?.provisioning?.state).toBe("failed");

    const retried = await admin.client.users.retryProvisioning.mutate({ id: target.user.id });
    expect("provisioning" in retried && retried.provisioning?.state).toBe("pending");
    await until(async () => (await admin.client.users.byId.query({ id: target.user.id })).provisioning?.state === "provisioned");
    const events = await admin.client.audit.list.query({ userId: target.user.id, action: "admin.user.retry_provisioning" });
    expect(events.total).toBe(1);
  });

  it("health.ready checks Nextcloud: up, then degraded within the bound when it is slow", async () => {
    const ready = await one.client().health.ready.query();
    expect(ready.checks.nextcloud.status).toBe("up");

    await fake.setDelay(5000);
    await fake.setMode("slow");
    const started = Date.now();
    const slow = await get(one, "health.ready");
    expect(Date.now() - started).toBeLessThan(2600);
    expect(slow.response.status).toBe(200);
    expect(slow.body.result.data.json.status).toBe("degraded");
    expect(slow.body.result.data.json.checks.nextcloud.status).toBe("down");

    await fake.setMode("not_installed");
    const installing = await one.client().health.ready.query();
    expect(installing.checks.nextcloud).toMatchObject({ status: "down", detail: "initializing" });
    expect(JSON.stringify(installing)).not.toContain(ADMIN_PASSWORD);
    await fake.setMode("ok");
  });
});

describe("without Nextcloud", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.close());

  it("queues nothing and refuses a provisioning retry", async () => {
    const admin = await signUpAdmin(server);
    const user = await signUp(server);
    expect((await admin.client.users.byId.query({ id: user.user.id })).provisioning).toBeNull();
    await expect(admin.client.users.retryProvisioning.mutate({ id: user.user.id })).rejects.toMatchObject({
      data: { code: "BAD_REQUEST" },
    });
  });
});
