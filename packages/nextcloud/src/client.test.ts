import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createNextcloudClient } from "./client";
import type { NextcloudClient, NextcloudClientOptions } from "./client";
import { failure } from "../test/support/failure";
import { startFakeNextcloud } from "@voiceassist/testing/nextcloud";
import type { FakeNextcloud } from "@voiceassist/testing/nextcloud";

const ADMIN_PASSWORD = "Adm1n-Test-Pass!42";
const USER_PASSWORD = "Str0ng-Pass-for-Tests!";
let fake: FakeNextcloud;
let client: NextcloudClient;

const make = (overrides: Partial<NextcloudClientOptions> = {}) =>
  createNextcloudClient({ baseUrl: fake.url, adminUser: "admin", adminPassword: ADMIN_PASSWORD, retryDelayMs: 10, ...overrides });

beforeEach(async () => {
  fake = await startFakeNextcloud({
    adminPassword: ADMIN_PASSWORD,
    users: [{ id: "plainuser", password: USER_PASSWORD }],
  });
  client = make();
});

afterEach(async () => {
  await fake.close();
});

describe("healthCheck", () => {
  it("is healthy on an installed server and reports the version string", async () => {
    await expect(client.healthCheck()).resolves.toEqual({ healthy: true, state: "ok", version: "29.0.1" });
  });

  it.each(["maintenance", "needs_upgrade", "not_installed"] as const)("reports %s as unhealthy", async (mode) => {
    await fake.setMode(mode);
    await expect(client.healthCheck()).resolves.toMatchObject({ healthy: false, state: mode });
  });
});

describe("createUser", () => {
  it("creates the user with form-encoded fields and the OCS headers", async () => {
    const input = { userId: "jane.doe", password: USER_PASSWORD, email: "jane@example.com", displayName: "Jane Doe" };
    await expect(client.createUser(input)).resolves.toEqual({ userId: "jane.doe" });
    expect(fake.users.get("jane.doe")).toMatchObject({ displayName: "Jane Doe", email: "jane@example.com", enabled: true });
    expect(fake.requests).toEqual([
      expect.objectContaining({
        method: "POST",
        path: "/ocs/v1.php/cloud/users",
        query: { format: "json" },
        ocsApiRequest: true,
        accept: "application/json",
        contentType: "application/x-www-form-urlencoded",
        authUser: "admin",
        form: { userid: "jane.doe", password: "[redacted]", email: "jane@example.com", displayName: "Jane Doe" },
      }),
    ]);
  });

  it("accepts a missing password when an email is given (password link)", async () => {
    await expect(client.createUser({ userId: "mailonly", email: "m@example.com" })).resolves.toEqual({ userId: "mailonly" });
    expect(fake.requests[0]?.form).toEqual({ userid: "mailonly", email: "m@example.com" });
  });

  it.each([
    [{ userId: "plainuser", password: USER_PASSWORD }, "user_exists", 102, "User already exists"],
    [{ userId: "PlainUser", password: USER_PASSWORD }, "user_exists", 102, "User already exists"],
    [{ userId: "bad/user!", password: USER_PASSWORD }, "invalid_input", 101, "Only the following characters"],
    [{ userId: " padded", password: USER_PASSWORD }, "invalid_input", 101, "whitespace"],
    [{ userId: "nopw" }, "invalid_input", 108, "email address is required"],
    [{ userId: "common1", password: "Password123" }, "password_policy", 107, "most common ones. Please make it unique."],
    [{ userId: "short1", password: "Sh0rt!" }, "password_policy", 107, "Password needs to be at least 10 characters long."],
  ] as const)("%o → %s (%i)", async (input, kind, statuscode, message) => {
    const error = await failure(client.createUser(input));
    expect(error).toMatchObject({ kind, statuscode, httpStatus: 200, operation: "POST /ocs/v1.php/cloud/users" });
    expect(error.message).toContain(message);
  });

  it("password_policy carries Nextcloud's joined hint verbatim", async () => {
    const error = await failure(client.createUser({ userId: "weak", password: "123" }));
    expect(error.message).toBe(
      "Password is among the 1,000,000 most common ones. Please make it unique. Password needs to be at least 10 characters long.",
    );
    expect(fake.users.has("weak")).toBe(false);
  });

  it("rejects an empty user id locally, without a request", async () => {
    expect(await failure(client.createUser({ userId: "  ", password: USER_PASSWORD }))).toMatchObject({ kind: "invalid_input" });
    expect(fake.requests).toHaveLength(0);
  });

  it("maps 403 for a non-admin caller to forbidden", async () => {
    const plain = make({ adminUser: "plainuser", adminPassword: USER_PASSWORD });
    const error = await failure(plain.createUser({ userId: "x1", password: USER_PASSWORD }));
    expect(error).toMatchObject({ kind: "forbidden", statuscode: 403, message: "Logged in account must be at least a sub admin" });
  });
});

describe("userExists / enable / disable / delete", () => {
  it("finds existing users, including ids that need URL encoding", async () => {
    await client.createUser({ userId: "o'neil smith@x.org", password: USER_PASSWORD });
    await expect(client.userExists("o'neil smith@x.org")).resolves.toBe(true);
    await expect(client.userExists("nobody")).resolves.toBe(false);
    expect(fake.requests.at(-2)?.path).toBe("/ocs/v1.php/cloud/users/o'neil%20smith%40x.org");
  });

  it("disables and re-enables a user", async () => {
    await client.disableUser("plainuser");
    expect(fake.users.get("plainuser")?.enabled).toBe(false);
    await client.enableUser("plainuser");
    expect(fake.users.get("plainuser")?.enabled).toBe(true);
    expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      "PUT /ocs/v1.php/cloud/users/plainuser/disable",
      "PUT /ocs/v1.php/cloud/users/plainuser/enable",
    ]);
  });

  it("reports enable/disable of a missing user (bare 101) as not_found", async () => {
    for (const call of [() => client.disableUser("ghost"), () => client.enableUser("ghost")]) {
      expect(await failure(call())).toMatchObject({ kind: "not_found", statuscode: 101, message: "User does not exist" });
    }
  });

  it("refuses to disable or delete the admin account itself, locally", async () => {
    expect(await failure(client.disableUser("Admin"))).toMatchObject({ kind: "invalid_input" });
    expect(await failure(client.deleteUser("admin"))).toMatchObject({ kind: "invalid_input" });
    expect(fake.requests).toHaveLength(0);
  });

  it("deletes a user; deleting again is not_found (998)", async () => {
    await client.deleteUser("plainuser");
    expect(fake.users.has("plainuser")).toBe(false);
    expect(await failure(client.deleteUser("plainuser"))).toMatchObject({ kind: "not_found", statuscode: 998 });
  });
});

describe("authentication and protocol failures", () => {
  it("a wrong admin password is unauthorized (997, HTTP 401) and never retried", async () => {
    const wrong = make({ adminPassword: "definitely-wrong-password" });
    const calls = [
      () => wrong.userExists("plainuser"),
      () => wrong.createUser({ userId: "a1", password: USER_PASSWORD }),
      () => wrong.disableUser("plainuser"),
    ];
    for (const call of calls) {
      expect(await failure(call())).toMatchObject({ kind: "unauthorized", statuscode: 997, httpStatus: 401, message: "Unauthorised" });
    }
    expect(fake.requests).toHaveLength(3);
  });

  it("a proxy that strips OCS-APIRequest yields precondition_failed (412)", async () => {
    const stripping: typeof fetch = (input, init) => {
      const headers = new Headers(init?.headers);
      headers.delete("ocs-apirequest");
      return fetch(input, { ...init, headers });
    };
    const error = await failure(make({ fetch: stripping }).userExists("plainuser"));
    expect(error).toMatchObject({ kind: "precondition_failed", httpStatus: 412, message: "CSRF check failed" });
  });

  it("keeps a base URL sub-path and never puts credentials in the URL", async () => {
    const seen: string[] = [];
    const stub: typeof fetch = async (input) => {
      seen.push(String(input instanceof Request ? input.url : input));
      return new Response('{"ocs":{"meta":{"status":"ok","statuscode":100,"message":"OK"},"data":[]}}', {
        headers: { "content-type": "application/json; charset=utf-8" },
      });
    };
    const sub = createNextcloudClient({
      baseUrl: "https://cloud.example.org/nextcloud/",
      adminUser: "admin",
      adminPassword: ADMIN_PASSWORD,
      fetch: stub,
    });
    await sub.enableUser("jane");
    expect(seen).toEqual(["https://cloud.example.org/nextcloud/ocs/v1.php/cloud/users/jane/enable?format=json"]);
  });

  it("rejects base URLs with embedded credentials without echoing them", () => {
    expect(() =>
      createNextcloudClient({
        baseUrl: `https://admin:${ADMIN_PASSWORD}@cloud.example.org`,
        adminUser: "admin",
        adminPassword: ADMIN_PASSWORD,
      }),
    ).toThrow(/must not contain credentials$/);
    expect(() => createNextcloudClient({ baseUrl: "ftp://x", adminUser: "a", adminPassword: "b" })).toThrow(TypeError);
  });
});
