// Specification of the fake where the real Nextcloud 29.0.1 differed from it (issue 15).
import { afterEach, describe, expect, it } from "vitest";
import { ADMIN_PASSWORD, USER_PASSWORD, basic, call, form, json } from "./support/fake-call";
import { startFakeNextcloud } from "@voiceassist/testing/nextcloud";
import type { FakeNextcloud, FakeNextcloudOptions } from "@voiceassist/testing/nextcloud";

let fake: FakeNextcloud | undefined;
async function start(options: Partial<FakeNextcloudOptions> = {}): Promise<FakeNextcloud> {
  fake = await startFakeNextcloud({
    adminPassword: ADMIN_PASSWORD,
    users: [{ id: "plainuser", password: USER_PASSWORD }],
    bruteForceBaseDelayMs: 1,
    ...options,
  });
  return fake;
}
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const create = (nc: FakeNextcloud, fields: Record<string, string>, version: 1 | 2 = 1) =>
  call(nc.url, `/ocs/v${version}.php/cloud/users?format=json`, form(fields));
const edit = (nc: FakeNextcloud, id: string, fields: Record<string, string>, version: 1 | 2 = 1) =>
  call(nc.url, `/ocs/v${version}.php/cloud/users/${encodeURIComponent(id)}?format=json`, form(fields, "PUT"));

describe("creating users", () => {
  it("a display name over 64 characters is 101 Invalid displayname, and no account is kept", async () => {
    const nc = await start();
    const long = "A".repeat(65);
    const v1 = await create(nc, { userid: "long1", password: USER_PASSWORD, email: "l@example.com", displayName: long });
    expect([v1.res.status, v1.meta]).toEqual([200, { status: "failure", statuscode: 101, message: "Invalid displayname" }]);
    const v2 = await call(nc.url, "/ocs/v2.php/cloud/users", form({ userid: "long2", password: USER_PASSWORD, displayName: long }));
    expect([v2.res.status, v2.format, v2.meta?.statuscode]).toEqual([400, "xml", 101]);
    expect([nc.users.has("long1"), nc.users.has("long2"), nc.mails]).toEqual([false, false, []]);
  });

  it("display names are counted in code points after trimming, like mb_strlen", async () => {
    const nc = await start();
    const astral = "😀".repeat(64); // 128 UTF-16 units, 64 characters
    expect((await create(nc, { userid: "emoji", password: USER_PASSWORD, displayName: ` ${astral} ` })).meta?.statuscode).toBe(100);
    expect(nc.users.get("emoji")?.displayName).toBe(astral);
    expect((await create(nc, { userid: "emoji2", password: USER_PASSWORD, displayName: `${astral}x` })).meta?.statuscode).toBe(101);
  });

  it("a common password such as 1q2w3e4r5t is 107 with the real hint", async () => {
    const nc = await start();
    const { meta } = await create(nc, { userid: "common", password: "1q2w3e4r5t" });
    expect(meta).toEqual({
      status: "failure",
      statuscode: 107,
      message: "Password is among the 1,000,000 most common ones. Please make it unique.",
    });
    expect(nc.users.has("common")).toBe(false);
  });

  it("a 65-character user id is accepted (29.0.1 on SQLite)", async () => {
    const nc = await start();
    const id = "u".repeat(65);
    expect((await create(nc, { userid: id, password: USER_PASSWORD })).meta).toMatchObject({ statuscode: 100 });
    expect(nc.users.has(id)).toBe(true);
  });

  it("no password but an email: created, and the welcome mail carries the set-password link", async () => {
    const nc = await start();
    const { meta } = await create(nc, { userid: "mailonly", email: "m@example.com", displayName: "Mail Only" });
    expect(meta?.statuscode).toBe(100);
    expect(nc.users.get("mailonly")).toMatchObject({ displayName: "Mail Only", email: "m@example.com" });
    await create(nc, { userid: "withpw", password: USER_PASSWORD, email: "p@example.com" });
    await create(nc, { userid: "nomail", password: USER_PASSWORD });
    expect(nc.mails).toEqual([
      { userId: "mailonly", to: "m@example.com", kind: "set-password" },
      { userId: "withpw", to: "p@example.com", kind: "welcome" },
    ]);
    expect((await create(nc, { userid: "neither" })).meta?.statuscode).toBe(108);
  });
});

describe("failNextCreateAfterCreating: the half-made account of a 996", () => {
  it("v1: HTTP 200 statuscode 996; the account has display name = id, no email, and no mail went out", async () => {
    const nc = await start();
    nc.failNextCreateAfterCreating();
    const fields = { userid: "half", password: USER_PASSWORD, email: "h@example.com", displayName: "Half Made" };
    const first = await create(nc, fields);
    expect([first.res.status, first.meta?.statuscode]).toEqual([200, 996]);
    expect(nc.users.get("half")).toMatchObject({ displayName: "half", email: null, enabled: true });
    expect(nc.mails).toEqual([]);
    const read = await call(nc.url, "/ocs/v1.php/cloud/users/half?format=json");
    expect(JSON.parse(read.body).ocs.data).toMatchObject({ id: "half", displayname: "half", email: null });
    // The retry meets the half-made account: 102, and nothing is repaired by itself.
    expect((await create(nc, fields)).meta?.statuscode).toBe(102);
    expect(nc.users.get("half")?.displayName).toBe("half");
  });

  it("v2: HTTP 500 with 500 in the body, same half-made account", async () => {
    const nc = await start();
    nc.failNextCreateAfterCreating();
    const { res, meta } = await create(nc, { userid: "half2", password: USER_PASSWORD, email: "h@example.com" }, 2);
    expect([res.status, meta?.statuscode]).toEqual([500, 500]);
    expect(nc.users.get("half2")).toMatchObject({ displayName: "half2", email: null });
  });
});

describe("brute-force protection", () => {
  const wrong = basic("admin", "definitely-wrong-password");
  const timed = async (fn: () => Promise<unknown>) => {
    const started = performance.now();
    await fn();
    return performance.now() - started;
  };

  it("delays each failed login by 200 ms by default, doubling, and the next good login too", async () => {
    const nc = await start({ bruteForceBaseDelayMs: undefined });
    const path = "/ocs/v1.php/cloud/users/plainuser?format=json";
    expect(await timed(() => call(nc.url, path, { auth: wrong }))).toBeGreaterThanOrEqual(195);
    expect(await timed(() => call(nc.url, path, { auth: wrong }))).toBeGreaterThanOrEqual(195);
    const good = await timed(async () => expect((await call(nc.url, path)).meta?.statuscode).toBe(100));
    expect(good).toBeGreaterThanOrEqual(395);
    expect(nc.bruteForceAttempts()).toBe(2);
    const caps = await call(nc.url, "/ocs/v1.php/cloud/capabilities?format=json", { auth: null });
    expect(JSON.parse(caps.body).ocs.data.capabilities.bruteforce).toEqual({ delay: 400, "allow-listed": false });
  });

  it("past 10 failures every login, the correct one included, is 429 Reached maximum delay", async () => {
    const nc = await start();
    const path = "/ocs/v1.php/cloud/users/plainuser?format=json";
    for (let i = 0; i < 11; i++) expect((await call(nc.url, path, { auth: wrong })).meta?.statuscode).toBe(997);
    const v1 = await call(nc.url, path);
    expect([v1.res.status, v1.format, v1.meta]).toEqual([
      200,
      "xml",
      { status: "failure", statuscode: 429, message: "Reached maximum delay" },
    ]);
    const v2 = await call(nc.url, "/ocs/v2.php/cloud/users/plainuser?format=json");
    expect([v2.res.status, v2.res.statusText, v2.meta?.statuscode]).toEqual([429, "Too Many Requests", 429]);
    expect((await call(nc.url, path, { auth: basic("plainuser", USER_PASSWORD) })).meta?.statuscode).toBe(429);
    // No credentials, no login attempt: not throttled.
    expect((await call(nc.url, "/ocs/v1.php/cloud/capabilities?format=json", { auth: null })).res.status).toBe(200);
    nc.resetBruteForce();
    expect((await call(nc.url, path)).meta?.statuscode).toBe(100);
  });

  it("ten failures still answer 997; only the eleventh locks the address out", async () => {
    const nc = await start();
    const path = "/ocs/v2.php/cloud/capabilities?format=json";
    for (let i = 0; i < 10; i++) await call(nc.url, path, { auth: wrong });
    expect((await call(nc.url, path)).res.status).toBe(200);
    expect((await call(nc.url, path, { auth: wrong })).meta?.statuscode).toBe(997);
    expect((await call(nc.url, path)).res.status).toBe(429);
  });

  it("concurrent failures are all counted", async () => {
    const nc = await start();
    const path = "/ocs/v1.php/cloud/capabilities?format=json";
    for (let round = 0; round < 5; round++) {
      nc.resetBruteForce();
      await Promise.all(Array.from({ length: 11 }, () => call(nc.url, path, { auth: wrong })));
      expect(nc.bruteForceAttempts()).toBe(11);
      expect((await call(nc.url, path)).meta?.statuscode).toBe(429);
    }
  });
});

describe("PUT cloud/users/{id}", () => {
  it("sets email and display name from form or JSON bodies", async () => {
    const nc = await start();
    expect((await edit(nc, "plainuser", { key: "email", value: "new@example.com" })).meta?.statuscode).toBe(100);
    const byJson = await call(nc.url, "/ocs/v2.php/cloud/users/plainuser?format=json", json({ key: "displayname", value: "Plain User" }));
    expect([byJson.res.status, byJson.meta?.statuscode]).toEqual([200, 200]);
    expect((await edit(nc, "PlainUser", { key: "display", value: "  Plain Again " })).meta?.statuscode).toBe(100);
    expect(nc.users.get("plainuser")).toMatchObject({ email: "new@example.com", displayName: "Plain Again" });
    expect((await edit(nc, "plainuser", { key: "email", value: "" })).meta?.statuscode).toBe(100);
    expect(nc.users.get("plainuser")?.email).toBeNull();
  });

  it("answers the real refusals: bad email 101, long display name 101, unknown key 113, missing user 998", async () => {
    const nc = await start();
    expect((await edit(nc, "plainuser", { key: "email", value: "not-an-email" })).meta).toEqual({
      status: "failure",
      statuscode: 101,
      message: "",
    });
    const long = await edit(nc, "plainuser", { key: "displayname", value: "B".repeat(65) }, 2);
    expect([long.res.status, long.meta?.statuscode, long.meta?.message]).toEqual([400, 101, "Invalid displayname"]);
    expect((await edit(nc, "plainuser", { key: "favourite_colour", value: "red" })).meta?.statuscode).toBe(113);
    const missing = await edit(nc, "ghost", { key: "email", value: "g@example.com" }, 2);
    expect([missing.res.status, missing.meta?.statuscode]).toEqual([404, 998]);
    expect((await edit(nc, "ghost", { key: "email", value: "g@example.com" })).res.status).toBe(200);
    expect(nc.users.get("plainuser")).toMatchObject({ email: null, displayName: "plainuser" });
  });

  it("a non-admin cannot edit another account (998); passwords never reach the request log", async () => {
    const nc = await start({
      users: [
        { id: "plainuser", password: USER_PASSWORD },
        { id: "other", password: USER_PASSWORD },
      ],
    });
    const denied = await call(nc.url, "/ocs/v1.php/cloud/users/other?format=json", {
      ...form({ key: "email", value: "o@example.com" }, "PUT"),
      auth: basic("plainuser", USER_PASSWORD),
    });
    expect(denied.meta?.statuscode).toBe(998);
    expect((await edit(nc, "other", { key: "password", value: "1q2w3e4r5t" })).meta?.statuscode).toBe(107);
    expect((await edit(nc, "other", { key: "password", value: "An0ther-Str0ng-Pass!" })).meta?.statuscode).toBe(100);
    expect(JSON.stringify(nc.requests)).not.toContain("An0ther-Str0ng-Pass!");
    expect(JSON.stringify(nc.requests)).not.toContain("1q2w3e4r5t");
  });

  it("allows 50 edits per 10 minutes, then HTTP 429 with an empty text/html body", async () => {
    const nc = await start();
    for (let i = 0; i < 50; i++) {
      expect((await edit(nc, i % 2 ? "plainuser" : "ghost", { key: "email", value: `e${i}@example.com` })).res.status).toBe(200);
    }
    const limited = await edit(nc, "plainuser", { key: "email", value: "late@example.com" });
    expect([limited.res.status, limited.res.headers.get("content-type"), limited.body]).toEqual([429, "text/html; charset=UTF-8", ""]);
    expect(nc.users.get("plainuser")?.email).toBe("e49@example.com");
    nc.resetRateLimits();
    expect((await edit(nc, "plainuser", { key: "email", value: "late@example.com" })).meta?.statuscode).toBe(100);
  });

  it("the limit and its window are configurable, and the window slides", async () => {
    const nc = await start({ editUserLimit: { limit: 2, periodMs: 300 } });
    for (const version of [1, 2] as const)
      expect((await edit(nc, "plainuser", { key: "email", value: "a@example.com" }, version)).res.status).toBe(200);
    expect((await edit(nc, "plainuser", { key: "email", value: "b@example.com" }, 2)).res.status).toBe(429);
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect((await edit(nc, "plainuser", { key: "email", value: "c@example.com" })).res.status).toBe(200);
  });
});

describe("routing", () => {
  it("/cloud/users/ with a trailing slash is 998 Invalid query (v2 HTTP 404)", async () => {
    const nc = await start();
    const v1 = await call(nc.url, "/ocs/v1.php/cloud/users/?format=json");
    expect([v1.res.status, v1.meta?.statuscode]).toEqual([200, 998]);
    expect(v1.meta?.message).toMatch(/^Invalid query, please check the syntax/);
    const v2 = await call(nc.url, "/ocs/v2.php/cloud/users/?format=json", form({ userid: "slash", password: USER_PASSWORD }));
    expect([v2.res.status, v2.meta?.statuscode]).toEqual([404, 404]);
    expect(nc.users.has("slash")).toBe(false);
  });
});
