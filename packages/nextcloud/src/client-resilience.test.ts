// Timeouts, retries (idempotent calls only) and idempotent provisioning under faults.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createNextcloudClient } from "./client";
import type { NextcloudClientOptions } from "./client";
import { countingFetch, failure } from "../test/support/failure";
import { startFakeNextcloud } from "@voiceassist/testing/nextcloud";
import type { FakeNextcloud } from "@voiceassist/testing/nextcloud";

const ADMIN_PASSWORD = "Adm1n-Test-Pass!42";
const USER_PASSWORD = "Str0ng-Pass-for-Tests!";
let fake: FakeNextcloud;

const make = (overrides: Partial<NextcloudClientOptions> = {}) =>
  createNextcloudClient({ baseUrl: fake.url, adminUser: "admin", adminPassword: ADMIN_PASSWORD, retryDelayMs: 10, ...overrides });
const newUser = { userId: "jane", password: USER_PASSWORD, email: "jane@example.com", displayName: "Jane" };
const count = (method: string) => fake.requests.filter((r) => r.method === method).length;

beforeEach(async () => {
  fake = await startFakeNextcloud({ adminPassword: ADMIN_PASSWORD, users: [{ id: "plainuser", password: USER_PASSWORD }] });
});
afterEach(async () => {
  await fake.close();
});

describe("timeouts", () => {
  it("a server answering after 5 s fails a 300 ms call as timeout, long before 5 s", async () => {
    await fake.setMode("slow");
    fake.setDelay(5000);
    const started = Date.now();
    const error = await failure(make({ timeoutMs: 300, retries: 0 }).userExists("plainuser"));
    const elapsed = Date.now() - started;
    expect(error).toMatchObject({ kind: "timeout", operation: "GET /ocs/v1.php/cloud/users/plainuser" });
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(1500);
  });

  it("retries an idempotent GET on timeout, still well under the server delay", async () => {
    await fake.setMode("slow");
    const started = Date.now();
    expect(await failure(make({ timeoutMs: 300, retries: 2 }).userExists("plainuser"))).toMatchObject({ kind: "timeout" });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(count("GET")).toBe(3);
  });

  it("covers a body that stalls after the headers", async () => {
    const stall = createServer((_req, res) => {
      res.writeHead(200, { "Content-Type": "application/json" });
      res.write('{"installed":true,');
    });
    await new Promise<void>((resolve) => stall.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = stall.address() as AddressInfo;
      const client = createNextcloudClient({
        baseUrl: `http://127.0.0.1:${port}`,
        adminUser: "a",
        adminPassword: "b",
        timeoutMs: 300,
        retries: 0,
      });
      expect(await failure(client.healthCheck())).toMatchObject({ kind: "timeout" });
    } finally {
      stall.closeAllConnections();
      await new Promise((resolve) => stall.close(resolve));
    }
  });

  it("never retries POST create on timeout, although the server may still create the user", async () => {
    await fake.setMode("slow");
    fake.setDelay(400);
    expect(await failure(make({ timeoutMs: 150 }).createUser(newUser))).toMatchObject({ kind: "timeout" });
    expect(count("POST")).toBe(1);
    await expect.poll(() => fake.users.has("jane"), { timeout: 2000 }).toBe(true);
    await fake.setMode("ok");
    await expect(make().ensureUser(newUser)).resolves.toEqual({ userId: "jane", created: false });
  });
});

describe("retries", () => {
  it("HTML 500 pages: GET and PUT are retried, POST and DELETE are not", async () => {
    await fake.setMode("html500");
    const client = make({ retries: 2 });
    expect(await failure(client.userExists("plainuser"))).toMatchObject({ kind: "server_error", httpStatus: 500 });
    expect(await failure(client.disableUser("plainuser"))).toMatchObject({ kind: "server_error" });
    expect(await failure(client.createUser(newUser))).toMatchObject({ kind: "server_error" });
    expect(await failure(client.deleteUser("plainuser"))).toMatchObject({ kind: "server_error" });
    expect(await failure(client.healthCheck())).toMatchObject({ kind: "server_error" });
    expect({ GET: count("GET"), PUT: count("PUT"), POST: count("POST"), DELETE: count("DELETE") }).toEqual({
      GET: 6,
      PUT: 3,
      POST: 1,
      DELETE: 1,
    });
  });

  it("connection refused: network error, GET retried, POST not", async () => {
    await fake.setMode("down");
    const get = countingFetch();
    const error = await failure(make({ fetch: get.fetch }).userExists("plainuser"));
    expect(error).toMatchObject({ kind: "network" });
    expect(error.message).toContain("ECONNREFUSED");
    expect(get.calls()).toBe(3);
    const post = countingFetch();
    expect(await failure(make({ fetch: post.fetch }).createUser(newUser))).toMatchObject({ kind: "network" });
    expect(post.calls()).toBe(1);
  });

  it("recovers when a retry succeeds, and the fake comes back up on the same URL", async () => {
    const flaky = countingFetch(1);
    await expect(make({ fetch: flaky.fetch }).userExists("plainuser")).resolves.toBe(true);
    expect(flaky.calls()).toBe(2);
    await fake.setMode("down");
    await fake.setMode("ok");
    await expect(make().userExists("plainuser")).resolves.toBe(true);
  });

  it("does not retry definite answers (maintenance, proxy pages, not installed)", async () => {
    const client = make({ retries: 2 });
    await fake.setMode("maintenance");
    expect(await failure(client.userExists("plainuser"))).toMatchObject({ kind: "maintenance", statuscode: 503, httpStatus: 503 });
    await fake.setMode("proxy_html");
    expect(await failure(client.userExists("plainuser"))).toMatchObject({ kind: "bad_response", httpStatus: 200 });
    expect(await failure(client.healthCheck())).toMatchObject({ kind: "bad_response" });
    expect(count("GET")).toBe(3);
    await fake.setMode("not_installed");
    // Redirected to the installer page: HTML where OCS was expected.
    expect(await failure(client.createUser(newUser))).toMatchObject({ kind: "bad_response" });
  });
});

describe("idempotent provisioning (ensureUser)", () => {
  it("creates a new user once", async () => {
    await expect(make().ensureUser(newUser)).resolves.toEqual({ userId: "jane", created: true });
    expect(count("POST")).toBe(1);
  });

  it("a create answered with 996 after the user was stored: createUser fails, ensureUser succeeds", async () => {
    fake.failNextCreateAfterCreating();
    const error = await failure(make().createUser(newUser));
    expect(error).toMatchObject({ kind: "server_error", statuscode: 996, httpStatus: 200 });
    expect(fake.users.has("jane")).toBe(true);
    expect(count("POST")).toBe(1);

    fake.failNextCreateAfterCreating();
    const other = { ...newUser, userId: "john" };
    await expect(make().ensureUser(other)).resolves.toEqual({ userId: "john", created: false });
    expect(count("POST")).toBe(3);
    // Like the real server, the fake keeps a half-made account after a 996 (display name = id, no email).
    expect(fake.users.get("john")).toMatchObject({ enabled: true });
  });

  it("retries after a network failure before the request reached the server", async () => {
    const flaky = countingFetch(1);
    await expect(make({ fetch: flaky.fetch }).ensureUser(newUser)).resolves.toEqual({ userId: "jane", created: true });
    expect(flaky.calls()).toBe(2);
  });

  it("gives up after the retry budget and does not retry definite refusals", async () => {
    fake.failNextCreateAfterCreating();
    expect(await failure(make({ retries: 0 }).ensureUser(newUser))).toMatchObject({ kind: "server_error" });
    const weak = await failure(make().ensureUser({ userId: "weak", password: "password123" }));
    expect(weak).toMatchObject({ kind: "password_policy", statuscode: 107 });
    expect(count("POST")).toBe(2);
  });
});
