import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startFakeNextcloud } from "@voiceassist/testing/nextcloud";
import type { FakeNextcloud } from "@voiceassist/testing/nextcloud";
import { createNextcloudClient } from "./client";
import { toNextcloudDisplayName } from "./display-name";
import { failure } from "../test/support/failure";

// The calls provisioning needs to read, repair and stay clear of throttling (issue 15).
const ADMIN_PASSWORD = "Adm1n-Test-Pass!42";
let fake: FakeNextcloud;

const make = (adminPassword = ADMIN_PASSWORD) =>
  createNextcloudClient({ baseUrl: fake.url, adminUser: "admin", adminPassword, retries: 0, retryDelayMs: 1 });

beforeEach(async () => {
  fake = await startFakeNextcloud({
    adminPassword: ADMIN_PASSWORD,
    bruteForceBaseDelayMs: 1,
    editUserLimit: { limit: 3, periodMs: 600_000 },
  });
});
afterEach(() => fake.close());

describe("getUser / editUser", () => {
  it("reads an account back (null when missing) and edits email and display name with key/value", async () => {
    const client = make();
    expect(await client.getUser("nobody")).toBeNull();
    await client.createUser({ userId: "u1", email: "u1@example.com", displayName: "One" });
    expect(await client.getUser("u1")).toEqual({ id: "u1", email: "u1@example.com", displayName: "One", enabled: true });
    await client.editUser("u1", "email", "new@example.com");
    await client.editUser("u1", "displayname", "Uno");
    expect(await client.getUser("u1")).toMatchObject({ email: "new@example.com", displayName: "Uno" });
    const put = fake.requests.find((r) => r.method === "PUT" && r.form.key === "email");
    expect(put?.path).toBe("/ocs/v1.php/cloud/users/u1");
  });

  it("maps the edit limit's empty text/html HTTP 429 to 'throttled', not bad_response", async () => {
    const client = make();
    await client.createUser({ userId: "u2", email: "u2@example.com" });
    for (let i = 0; i < 3; i++) await client.editUser("u2", "displayname", `Name ${i}`);
    const error = await failure(client.editUser("u2", "displayname", "One too many"));
    expect(error).toMatchObject({ kind: "throttled", httpStatus: 429 });
    expect(error.retryable).toBe(false); // the caller backs off for long, no quick replay
  });
});

describe("credentials and brute-force protection", () => {
  it("checkCredentials refuses a wrong admin password with 'unauthorized'", async () => {
    await expect(make().checkCredentials()).resolves.toBeUndefined();
    expect(await failure(make("wrong-password").checkCredentials())).toMatchObject({ kind: "unauthorized", statuscode: 997 });
  });

  it("maps 'Reached maximum delay' (OCS 429, HTTP 200 on v1) to 'throttled', even with the right password", async () => {
    const wrong = make("wrong-password");
    for (let i = 0; i < 11; i++) await failure(wrong.getUser("admin"));
    const error = await failure(make().getUser("admin"));
    expect(error).toMatchObject({ kind: "throttled", statuscode: 429 });
  });
});

describe("toNextcloudDisplayName", () => {
  it("keeps short names and trims them", () => {
    expect(toNextcloudDisplayName("  Nurse Joy ")).toBe("Nurse Joy");
  });

  it("counts code points like PHP's mb_strlen: 64 astral characters fit", () => {
    const name = "😀".repeat(64);
    expect(toNextcloudDisplayName(name)).toBe(name);
    expect([...toNextcloudDisplayName("😀".repeat(65))]).toHaveLength(64);
  });

  it("never splits a grapheme: a ZWJ emoji or an accent crossing the limit is dropped whole", () => {
    const doctor = "👩‍⚕️"; // 4 code points
    expect(toNextcloudDisplayName(`${"a".repeat(62)}${doctor}`)).toBe("a".repeat(62));
    const accented = "e\u0301"; // e + combining acute
    expect(toNextcloudDisplayName(`${"b".repeat(63)}${accented}x`)).toBe("b".repeat(63));
  });

  it("drops trailing spaces left by the cut", () => {
    expect(toNextcloudDisplayName(`${"c".repeat(60)}    dddd`)).toBe("c".repeat(60));
  });
});
