// Fake behaviour beyond the captured fixtures (fault modes, routing edges, state).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseBody } from "../src/ocs";
import { startFakeNextcloud } from "@voiceassist/testing/nextcloud";
import type { FakeNextcloud } from "@voiceassist/testing/nextcloud";

const ADMIN_PASSWORD = "Adm1n-Test-Pass!42";
const USER_PASSWORD = "Str0ng-Pass-for-Tests!";
let fake: FakeNextcloud;

function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
}

async function call(path: string, init: RequestInit & { auth?: string | null; ocs?: boolean } = {}) {
  const headers = new Headers(init.headers);
  if (init.ocs !== false) headers.set("OCS-APIRequest", "true");
  if (init.auth !== null) headers.set("Authorization", init.auth ?? basic("admin", ADMIN_PASSWORD));
  const res = await fetch(`${fake.url}${path}`, { ...init, headers, redirect: "manual" });
  const body = await res.text();
  const parsed = parseBody(body);
  return { res, body, meta: parsed.type === "ocs" ? parsed.meta : undefined };
}

const form = (fields: Record<string, string>): RequestInit => ({
  method: "POST",
  headers: { "Content-Type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams(fields).toString(),
});

beforeEach(async () => {
  fake = await startFakeNextcloud({ adminPassword: ADMIN_PASSWORD, users: [{ id: "plainuser", password: USER_PASSWORD }] });
});
afterEach(async () => {
  await fake.close();
});

describe("fault modes", () => {
  it("down refuses connections until another mode reopens the same port", async () => {
    await fake.setMode("down");
    const refused = await fetch(`${fake.url}/status.php`).then(
      () => undefined,
      (e: unknown) => (e as { cause?: { code?: string } }).cause?.code,
    );
    expect(refused).toBe("ECONNREFUSED");
    await fake.setMode("ok");
    expect((await call("/status.php")).res.status).toBe(200);
  });

  it("html500 serves an HTML error page everywhere", async () => {
    await fake.setMode("html500");
    const { res, body, meta } = await call("/ocs/v1.php/cloud/users/plainuser?format=json");
    expect(res.status).toBe(500);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    expect(body).toContain("<html");
    expect(meta).toBeUndefined();
  });

  it("maintenance: status.php says so and OCS answers 503 with the maintenance header", async () => {
    await fake.setMode("maintenance");
    expect(JSON.parse((await call("/status.php")).body)).toMatchObject({ installed: true, maintenance: true });
    const { res, meta } = await call("/ocs/v1.php/cloud/users/plainuser?format=json");
    expect(res.status).toBe(503);
    expect(res.headers.get("x-nextcloud-maintenance-mode")).toBe("1");
    expect(meta).toEqual({ status: "failure", statuscode: 503, message: "Service unavailable" });
  });

  it("not_installed: status.php installed:false, everything else redirects to the installer", async () => {
    await fake.setMode("not_installed");
    expect(JSON.parse((await call("/status.php")).body)).toMatchObject({ installed: false });
    const { res } = await call("/ocs/v1.php/cloud/users/plainuser?format=json");
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/index.php");
  });

  it("slow answers only after the delay, and close() does not wait for it", async () => {
    await fake.setMode("slow");
    fake.setDelay(250);
    const started = Date.now();
    expect((await call("/status.php")).res.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(240);
    fake.setDelay(60_000);
    const pending = call("/status.php").catch(() => "aborted");
    await expect.poll(() => fake.requests.length).toBe(2);
    const closing = Date.now();
    await fake.close();
    expect(Date.now() - closing).toBeLessThan(1000);
    await expect(pending).resolves.toBe("aborted");
  });
});

describe("failNextCreateAfterCreating", () => {
  it("v1: stores the user, then answers HTTP 200 statuscode 996, only once", async () => {
    fake.failNextCreateAfterCreating();
    const first = await call("/ocs/v1.php/cloud/users?format=json", form({ userid: "u1", password: USER_PASSWORD }));
    expect(first.res.status).toBe(200);
    expect(first.meta).toEqual({ status: "failure", statuscode: 996, message: "Internal Server Error\n" });
    expect(fake.users.has("u1")).toBe(true);
    const second = await call("/ocs/v1.php/cloud/users?format=json", form({ userid: "u2", password: USER_PASSWORD }));
    expect(second.meta?.statuscode).toBe(100);
  });

  it("v2: HTTP 500 with statuscode 500 in the body", async () => {
    fake.failNextCreateAfterCreating();
    const { res, meta } = await call("/ocs/v2.php/cloud/users?format=json", form({ userid: "u3", password: USER_PASSWORD }));
    expect(res.status).toBe(500);
    expect(meta?.statuscode).toBe(500);
  });
});

describe("protocol details", () => {
  it("controllers pick JSON from the Accept header; the login failure path stays XML", async () => {
    const ok = await call("/ocs/v1.php/cloud/users/plainuser", { headers: { Accept: "application/json" } });
    expect(ok.res.headers.get("content-type")).toBe("application/json; charset=utf-8");
    const bad = await call("/ocs/v1.php/cloud/users/plainuser", {
      headers: { Accept: "application/json" },
      auth: basic("admin", "nope-nope-nope"),
    });
    expect(bad.res.headers.get("content-type")).toBe("text/xml; charset=UTF-8");
    expect(bad.res.headers.get("www-authenticate")).toBe('Basic realm="Authorisation Required"');
  });

  it("no credentials: 401 in the requested format; missing header with credentials: 412", async () => {
    const anon = await call("/ocs/v1.php/cloud/users?format=json", { ...form({ userid: "x" }), auth: null });
    expect([anon.res.status, anon.meta?.message]).toEqual([401, "Current user is not logged in"]);
    expect(anon.res.headers.get("www-authenticate")).toBeNull();
    const csrf = await call("/ocs/v1.php/cloud/users/plainuser?format=json", { ocs: false });
    expect([csrf.res.status, csrf.body]).toEqual([412, '{"message":"CSRF check failed"}']);
  });

  it("unknown routes answer 998 (v1 HTTP 200, v2 HTTP 404); wrong methods 405", async () => {
    const v1 = await call("/ocs/v1.php/cloud/nothing?format=json");
    expect([v1.res.status, v1.meta?.statuscode]).toEqual([200, 998]);
    expect(v1.meta?.message).toMatch(/^Invalid query/);
    const v2 = await call("/ocs/v2.php/cloud/nothing?format=json");
    expect([v2.res.status, v2.meta?.statuscode]).toEqual([404, 404]);
    expect((await call("/ocs/v1.php/cloud/users/plainuser/enable", { method: "GET" })).res.status).toBe(405);
  });

  it("enable/disable: missing user and self are a bare 101; v2 maps it to HTTP 400", async () => {
    const missing = await call("/ocs/v1.php/cloud/users/ghost/disable?format=json", { method: "PUT" });
    expect(missing.meta).toEqual({ status: "failure", statuscode: 101, message: "" });
    const self = await call("/ocs/v2.php/cloud/users/admin/disable?format=json", { method: "PUT" });
    expect([self.res.status, self.meta?.statuscode]).toEqual([400, 101]);
  });

  it("a disabled user can no longer log in; requireEmail gives 110", async () => {
    await call("/ocs/v1.php/cloud/users/plainuser/disable", { method: "PUT" });
    const login = await call("/ocs/v1.php/cloud/users/plainuser?format=json", { auth: basic("plainuser", USER_PASSWORD) });
    expect(login.meta?.statuscode).toBe(997);
    await fake.close();
    fake = await startFakeNextcloud({ adminPassword: ADMIN_PASSWORD, requireEmail: true });
    const noMail = await call("/ocs/v1.php/cloud/users?format=json", form({ userid: "m", password: USER_PASSWORD }));
    expect(noMail.meta).toMatchObject({ statuscode: 110, message: "Required email address was not provided" });
  });

  it("records requests with the auth user but never a password", async () => {
    await call("/ocs/v1.php/cloud/users?format=json", form({ userid: "r1", password: USER_PASSWORD }));
    expect(fake.requests[0]).toMatchObject({ authUser: "admin", form: { userid: "r1", password: "[redacted]" } });
    expect(JSON.stringify(fake.requests)).not.toContain(USER_PASSWORD);
    expect(JSON.stringify(fake.requests)).not.toContain(ADMIN_PASSWORD);
  });
});
