// The client against the exact bytes a real Nextcloud 29.0.1 sent (replayed verbatim).
import { afterEach, describe, expect, it } from "vitest";
import { createNextcloudClient } from "./client";
import type { NextcloudClient } from "./client";
import { failure } from "../test/support/failure";
import { fixtureRequests, loadFixture } from "../test/support/fixtures";
import { headerOf, startReplayServer } from "../test/support/replay-server";
import type { ReplayServer } from "../test/support/replay-server";

const ADMIN_PASSWORD = "Adm1n-Test-Pass!42";
const USER_PASSWORD = "Str0ng-Pass-for-Tests!";
const requests = fixtureRequests();
let server: ReplayServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function against(file: string, adminPassword = ADMIN_PASSWORD): Promise<NextcloudClient> {
  server = await startReplayServer(loadFixture(file).raw);
  return createNextcloudClient({ baseUrl: server.url, adminUser: "admin", adminPassword, retries: 0, timeoutMs: 2000 });
}

/** The client must send what the capture script sent (path, query, form), plus its OCS headers. */
function expectSameRequestAs(file: string) {
  const curl = requests.get(file);
  const head = server?.requests[0] ?? "";
  expect(head.split("\r\n")[0]).toBe(`${curl?.method} ${curl?.url.pathname}${curl?.url.search} HTTP/1.1`);
  expect(headerOf(head, "ocs-apirequest")).toBe("true");
  expect(headerOf(head, "accept")).toBe("application/json");
  expect(headerOf(head, "authorization")).toBe(`Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString("base64")}`);
  if (curl?.form) {
    expect(headerOf(head, "content-type")).toBe("application/x-www-form-urlencoded");
    expect(server?.bodies[0]).toBe(curl.form.toString());
  }
}

const newUser = (id: string, displayName: string, password = USER_PASSWORD) => ({
  userId: id,
  password,
  email: `${id}@example.com`,
  displayName,
});

describe("client vs captured Nextcloud 29 answers", () => {
  it("healthCheck reads status.php", async () => {
    const client = await against("status.json.http");
    await expect(client.healthCheck()).resolves.toEqual({ healthy: true, state: "ok", version: "29.0.1" });
    expect(server?.requests[0]?.split("\r\n")[0]).toBe("GET /status.php HTTP/1.1");
    // status.php needs no login, so the credentials are not sent there.
    expect(headerOf(server?.requests[0] ?? "", "authorization")).toBeUndefined();
  });

  it("createUser succeeds on statuscode 100", async () => {
    const client = await against("v1-create-user-ok.json.http");
    await expect(client.createUser(newUser("ncuser_v1_json", "NC User v1 json"))).resolves.toEqual({
      userId: "ncuser_v1_json",
    });
    expectSameRequestAs("v1-create-user-ok.json.http");
  });

  it("createUser maps 102 to user_exists, and ensureUser treats it as success", async () => {
    const client = await against("v1-create-user-duplicate.json.http");
    const error = await failure(client.createUser(newUser("ncuser_v1_json", "NC User v1 json")));
    expect(error).toMatchObject({ kind: "user_exists", statuscode: 102, httpStatus: 200, message: "User already exists" });
    expectSameRequestAs("v1-create-user-duplicate.json.http");
    await expect(client.ensureUser(newUser("ncuser_v1_json", "x"))).resolves.toEqual({
      userId: "ncuser_v1_json",
      created: false,
    });
  });

  it.each([
    ["v1-create-user-weak-password.json.http", "weakuser_v1_json", "Weak v1 json", "123"],
    ["v1-create-user-common-password.json.http", "commonpw_v1_json", "Common v1 json", "password123"],
  ])("%s: 107 → password_policy carrying Nextcloud's hint", async (file, id, name, password) => {
    const client = await against(file);
    const error = await failure(client.createUser(newUser(id, name, password)));
    const hint = /"message":"([^"]+)"/.exec(loadFixture(file).body)?.[1];
    expect(error).toMatchObject({ kind: "password_policy", statuscode: 107, message: hint });
    expect(error.message).toContain("most common ones");
    expectSameRequestAs(file);
  });

  it("108 (no password, no email) → invalid_input", async () => {
    const client = await against("v1-create-user-no-password-no-email.json.http");
    const error = await failure(client.createUser({ userId: "nopw_v1_json", displayName: "NoPw v1 json" }));
    expect(error).toMatchObject({ kind: "invalid_input", statuscode: 108 });
    expect(error.message).toBe("To send a password link to the user an email address is required.");
    expectSameRequestAs("v1-create-user-no-password-no-email.json.http");
  });

  it("101 (bad characters in the user id) → invalid_input with the decoded message", async () => {
    const client = await against("v1-create-user-invalid-userid.json.http");
    const error = await failure(client.createUser({ userId: "bad/user!", password: USER_PASSWORD }));
    expect(error).toMatchObject({ kind: "invalid_input", statuscode: 101 });
    expect(error.message).toBe(`Only the following characters are allowed in an Login: "a-z", "A-Z", "0-9", spaces and "_.@-'"`);
  });

  it("403 from a non-admin account → forbidden", async () => {
    const client = await against("v1-create-user-as-non-admin.json.http");
    const error = await failure(client.createUser({ userId: "byplain_v1_json", password: USER_PASSWORD }));
    expect(error).toMatchObject({ kind: "forbidden", statuscode: 403, httpStatus: 200 });
  });

  it("userExists: true on 100, false on statuscode 404", async () => {
    let client = await against("v1-get-user-ok.json.http");
    await expect(client.userExists("ncuser_v1_json")).resolves.toBe(true);
    expectSameRequestAs("v1-get-user-ok.json.http");
    await server?.close();
    client = await against("v1-get-user-missing.json.http");
    await expect(client.userExists("no_such_user_xyz")).resolves.toBe(false);
    expectSameRequestAs("v1-get-user-missing.json.http");
  });

  it("deleteUser: ok on 100, not_found on 998 (empty message replaced)", async () => {
    let client = await against("v1-delete-user-ok.json.http");
    await expect(client.deleteUser("todelete_v1_json")).resolves.toBeUndefined();
    expectSameRequestAs("v1-delete-user-ok.json.http");
    await server?.close();
    client = await against("v1-delete-user-missing.json.http");
    const error = await failure(client.deleteUser("todelete_v1_json"));
    expect(error).toMatchObject({ kind: "not_found", statuscode: 998, message: "User does not exist" });
  });

  it.each([
    ["v1-get-user-wrong-admin-password.json.http", "Unauthorised"],
    ["v1-get-user-no-auth.json.http", "Current user is not logged in"],
  ])("%s: 401 → unauthorized (XML body even though JSON was asked)", async (file, message) => {
    const client = await against(file, "definitely-wrong-password");
    const error = await failure(client.userExists("ncuser_v1_json"));
    expect(error).toMatchObject({ kind: "unauthorized", statuscode: 997, httpStatus: 401, message });
  });

  it("412 CSRF answer (plain JSON, not OCS) → precondition_failed", async () => {
    const client = await against("v1-create-user-no-ocs-header.json.http");
    const error = await failure(client.createUser({ userId: "noheader_v1_json", password: USER_PASSWORD }));
    expect(error).toMatchObject({ kind: "precondition_failed", httpStatus: 412, message: "CSRF check failed" });
    expect(error.statuscode).toBeUndefined();
  });

  it("v2 answers (HTTP 400/404 with OCS bodies) map to the same kinds", async () => {
    let client = await against("v2-create-user-duplicate.json.http");
    expect(await failure(client.createUser(newUser("ncuser_v2_json", "x")))).toMatchObject({
      kind: "user_exists",
      httpStatus: 400,
    });
    await server?.close();
    client = await against("v2-get-user-missing.json.http");
    await expect(client.userExists("no_such_user_xyz")).resolves.toBe(false);
  });

  it("a capabilities answer is not mistaken for status.php", async () => {
    const client = await against("v1-capabilities.json.http");
    expect(await failure(client.healthCheck())).toMatchObject({ kind: "bad_response", httpStatus: 200 });
  });
});
