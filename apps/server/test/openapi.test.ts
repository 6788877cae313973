import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

import SwaggerParser from "@apidevtools/swagger-parser";
import type { OpenAPIV3_1 } from "openapi-types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { appRouter } from "@voiceassist/api";
import { send, sendRaw, type RawResponse } from "@voiceassist/testing/raw-http";
import { startTestServer, type TestServer } from "@voiceassist/testing/server";
import { clientFrom, codeOf, PASSWORD, randomIp, signUp, signUpAdmin, tokenPair, uniqueEmail } from "@voiceassist/testing/users";

let server: TestServer;
let document: OpenAPIV3_1.Document;
beforeAll(async () => {
  server = await startTestServer();
  document = (await send(`${server.url}/openapi.json`)).body;
});
afterAll(() => server?.close());

interface RestCall {
  body?: unknown;
  token?: string;
  ip?: string;
  headers?: Record<string, string>;
}

/** One plain-JSON REST call, from its own client IP unless told otherwise. */
function rest(method: string, path: string, { body, token, ip, headers }: RestCall = {}): Promise<RawResponse> {
  return send(`${server.url}${path}`, {
    method,
    headers: {
      "x-forwarded-for": ip ?? randomIp(),
      ...(body === undefined ? {} : { "content-type": "application/json" }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** What a tRPC output looks like once JSON has carried it (Dates become ISO strings). */
const asJson = (value: unknown) => JSON.parse(JSON.stringify(value));

const operations = () =>
  Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
    (["get", "post", "patch", "put", "delete"] as const)
      .filter((method) => item?.[method])
      .map((method) => ({ path, method, operation: item![method]! })),
  );

/** A concrete URL for a documented path: any uuid where the path names an id. */
const concrete = (path: string) => path.replace("{id}", "00000000-0000-4000-8000-000000000000");

describe("GET /openapi.json", () => {
  it("is a valid OpenAPI 3.1 document with bearer auth and the server's version", async () => {
    expect(document.openapi).toBe("3.1.0");
    expect(document.info.version).toBe(server.deps.api.version);
    expect(document.servers).toEqual([{ url: "/" }]);
    expect(document.components?.securitySchemes?.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
    const validated = await SwaggerParser.validate(structuredClone(document) as never);
    expect(Object.keys(validated.paths ?? {})).toContain("/api/auth/login");
  });

  it("documents every procedure of the router, each at its own operation", () => {
    const documented = new Set(operations().map(({ operation }) => operation.operationId));
    const procedures = Object.keys(appRouter._def.procedures);
    expect(procedures.length).toBeGreaterThan(10);
    // A procedure that lacks `.meta({ openapi })` (or an output schema) is missing here.
    expect(procedures.filter((name) => !documented.has(name.replaceAll(".", "-")))).toEqual([]);
  });

  it("marks exactly the routes that need a token as secured, as the server enforces them", async () => {
    for (const { path, method, operation } of operations()) {
      const response = await rest(method.toUpperCase(), concrete(path));
      const secured = (operation.security ?? []).length > 0;
      expect({ path, method, status: response.status === 401 }).toEqual({ path, method, status: secured });
    }
  });

  it("gives 403 to a signed-in non-admin on every admin route", async () => {
    const { tokens } = await signUp(server);
    const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { meta?: { access?: string } } }>;
    const adminOnly = operations().filter(
      ({ operation }) => procedures[operation.operationId!.replaceAll("-", ".")]?._def.meta?.access === "admin",
    );
    expect(adminOnly.length).toBeGreaterThanOrEqual(6);
    for (const { path, method } of adminOnly) {
      const response = await rest(method.toUpperCase(), concrete(path), { token: tokens.accessToken });
      expect({ path, method, status: response.status }).toEqual({ path, method, status: 403 });
    }
  });

  it("takes PUBLIC_URL as its server", async () => {
    const other = await startTestServer({ env: { PUBLIC_URL: "https://api.example.com" }, database: server.database });
    try {
      expect((await send(`${other.url}/openapi.json`)).body.servers).toEqual([{ url: "https://api.example.com" }]);
    } finally {
      await other.close();
    }
  });
});

describe("REST routes behave like the tRPC calls", () => {
  it("register → login → me → refresh → logout, with the tRPC client's results", async () => {
    const email = uniqueEmail("rest");
    const registered = await rest("POST", "/api/auth/register", { body: { email, password: PASSWORD, fullName: " Ada " } });
    expect(registered.status).toBe(200);
    expect(registered.headers["cache-control"]).toBe("no-store");
    expect(registered.body.user).toMatchObject({ email, fullName: "Ada", isAdmin: false, lastLogin: null });

    const login = await rest("POST", "/api/auth/login", { body: { email, password: PASSWORD } });
    expect(login.status).toBe(200);
    expect(login.headers["cache-control"]).toBe("no-store");
    const tokens = login.body;
    const trpcLogin = tokenPair(await clientFrom(server).auth.login.mutate({ email, password: PASSWORD }));
    expect(Object.keys(tokens).sort()).toEqual(Object.keys(trpcLogin).sort());
    expect(tokens).toMatchObject({ tokenType: "bearer", expiresIn: trpcLogin.expiresIn, refreshExpiresIn: trpcLogin.refreshExpiresIn });

    // The REST token works on /trpc and the other way round; both give the same user.
    const me = await rest("GET", "/api/auth/me", { token: tokens.accessToken });
    expect(me.status).toBe(200);
    const trpcMe = await clientFrom(server, undefined, () => tokens.accessToken).auth.me.query();
    expect(me.body).toEqual(asJson(trpcMe));
    expect((await rest("GET", "/api/users/me", { token: trpcLogin.accessToken })).body).toEqual(asJson(trpcMe));

    const refreshed = await rest("POST", "/api/auth/refresh", { body: { refreshToken: tokens.refreshToken } });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refreshToken).not.toBe(tokens.refreshToken);
    // Rotation used the old refresh token up, for tRPC too.
    expect(await codeOf(clientFrom(server).auth.refresh.mutate({ refreshToken: tokens.refreshToken }))).toBe("UNAUTHORIZED");

    const fresh = await rest("POST", "/api/auth/login", { body: { email, password: PASSWORD } });
    const logout = await rest("POST", "/api/auth/logout", { token: fresh.body.accessToken });
    expect(logout).toMatchObject({ status: 200, body: { success: true } });
    expect((await rest("GET", "/api/auth/me", { token: fresh.body.accessToken })).status).toBe(401);
    expect(await codeOf(clientFrom(server, undefined, () => fresh.body.accessToken).auth.me.query())).toBe("UNAUTHORIZED");
  });

  it("bad input gives 400 with the field errors and the request id", async () => {
    const response = await rest("POST", "/api/auth/register", { body: { email: "not-an-email", password: "short" } });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: "BAD_REQUEST", data: { code: "BAD_REQUEST", httpStatus: 400, path: "auth.register" } });
    expect(Object.keys(response.body.data.zodError.fieldErrors).sort()).toEqual(["email", "password"]);
    expect(response.body.data.requestId).toBe(response.headers["x-request-id"]);
    expect(response.text).not.toMatch(/stack|\bat \S+:\d+|short/);

    const unknownKey = await rest("POST", "/api/auth/register", { body: { email: uniqueEmail(), password: PASSWORD, isAdmin: true } });
    expect(unknownKey.status).toBe(400);
    const notJson = await rest("POST", "/api/auth/login", { body: undefined, headers: { "content-type": "application/json" } });
    expect(notJson).toMatchObject({ status: 400, body: { code: "BAD_REQUEST" } });
  });

  it("carries the domain reason in data, as /trpc does", async () => {
    const { tokens } = await signUp(server);
    const same = await rest("POST", "/api/users/me/password", {
      token: tokens.accessToken,
      body: { currentPassword: PASSWORD, newPassword: PASSWORD },
    });
    expect(same).toMatchObject({ status: 400, body: { code: "BAD_REQUEST", data: { reason: "SAME_PASSWORD" } } });
    expect(same.text).not.toContain(PASSWORD);
  });

  it("no token gives 401, a non-admin on an admin route 403, an unknown user 404", async () => {
    expect(await rest("GET", "/api/auth/me")).toMatchObject({ status: 401, body: { code: "UNAUTHORIZED", message: "Not authenticated" } });
    const user = await signUp(server);
    const forbidden = await rest("GET", "/api/users", { token: user.tokens.accessToken });
    expect(forbidden).toMatchObject({ status: 403, body: { code: "FORBIDDEN", data: { path: "users.list" } } });
    expect((await rest("DELETE", `/api/users/${user.user.id}`, { token: user.tokens.accessToken })).status).toBe(403);
    const admin = await signUpAdmin(server);
    expect((await rest("GET", concrete("/api/users/{id}"), { token: admin.tokens.accessToken })).status).toBe(404);
  });

  it("admin routes take path and query parameters; 'false' is false and tRPC's inputs stay strict", async () => {
    const admin = await signUpAdmin(server);
    const target = await signUp(server);
    const token = admin.tokens.accessToken;
    const updated = await rest("PATCH", `/api/users/${target.user.id}`, { token, body: { isActive: false } });
    expect(updated).toMatchObject({ status: 200, body: { id: target.user.id, isActive: false } });

    const inactive = await rest("GET", "/api/users?isActive=false&limit=100", { token });
    expect(inactive.status).toBe(200);
    expect(inactive.body.items.map((u: { id: string }) => u.id)).toContain(target.user.id);
    expect(inactive.body.items.every((u: { isActive: boolean }) => u.isActive === false)).toBe(true);

    const badQuery = await rest("GET", "/api/users?limit=abc&isActive=no", { token });
    expect(badQuery.status).toBe(400);
    expect(Object.keys(badQuery.body.data.zodError.fieldErrors).sort()).toEqual(["isActive", "limit"]);
    // After those REST calls, a string where tRPC wants a boolean is still refused, not read as true.
    const isAdminAsText = admin.client.users.update.mutate({ id: target.user.id, isAdmin: "false" as never });
    expect(await codeOf(isAdminAsText)).toBe("BAD_REQUEST");

    const byId = await rest("GET", `/api/users/${target.user.id}`, { token });
    expect(byId.body).toEqual(asJson(await admin.client.users.byId.query({ id: target.user.id })));
    const audit = await rest("GET", `/api/audit?userId=${target.user.id}&limit=5`, { token });
    expect(audit.status).toBe(200);
    expect(audit.body.items[0]).toMatchObject({ action: "admin.user.update", targetUserId: target.user.id });
    expect(audit.body.items[0]).not.toHaveProperty("dedupeKey");
  });

  it("spends the same rate-limit budget as /trpc: 429 with Retry-After", async () => {
    const ip = randomIp();
    const wrong = { email: "nobody@example.com", password: PASSWORD };
    for (let i = 0; i < 5; i++) expect((await rest("POST", "/api/auth/login", { ip, body: wrong })).status).toBe(401);
    for (let i = 0; i < 5; i++) expect(await codeOf(clientFrom(server, ip).auth.login.mutate(wrong))).toBe("UNAUTHORIZED");
    const limited = await rest("POST", "/api/auth/login", { ip, body: wrong });
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ code: "TOO_MANY_REQUESTS", data: { code: "TOO_MANY_REQUESTS" } });
    expect(limited.headers["retry-after"]).toMatch(/^\d+$/);
    expect(Number(limited.headers["retry-after"])).toBeGreaterThanOrEqual(1);
    expect(limited.body.data.retryAfterSeconds).toBe(Number(limited.headers["retry-after"]));
  });
});

describe("REST transport protections", () => {
  it("refuses forbidden keys, however they are spelled, and bodies over 1 MiB", async () => {
    const login = { email: uniqueEmail(), password: PASSWORD };
    for (const text of [
      `{"email":"${login.email}","password":"${login.password}","constructor":{"prototype":{"isAdmin":true}}}`,
      `{"email":"${login.email}","password":"${login.password}","\\u005f_proto__":{"isAdmin":true}}`,
    ]) {
      const response = await send(`${server.url}/api/auth/register`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-forwarded-for": randomIp() },
        body: text,
      });
      expect(response).toMatchObject({ status: 400, body: { code: "BAD_REQUEST" } });
    }
    for (const key of ["constructor", "__proto__", "prototype"]) {
      expect(await rest("GET", `/api/health/live?${key}=1`)).toMatchObject({ status: 400, body: { code: "BAD_REQUEST" } });
    }
    const huge = await rest("POST", "/api/auth/login", { body: { email: "a@example.com", password: "x".repeat(1024 * 1024) } });
    expect(huge).toMatchObject({ status: 413, body: { code: "PAYLOAD_TOO_LARGE" } });
    expect(huge.headers["cache-control"]).toBe("no-store");
  });

  it.each(["/api/nope", "/api/health", "/api/auth/login/", "/api/users/me/nope"])(
    "answers %s (no such route) with 404 in the REST error body",
    async (path) => {
      const response = await rest("GET", path);
      expect(response).toMatchObject({ status: 404, body: { code: "NOT_FOUND", data: { requestId: response.headers["x-request-id"] } } });
    },
  );

  it("lets listed origins preflight PATCH and DELETE", async () => {
    const origin = server.config.CORS_ORIGINS[0]!;
    const preflight = await send(`${server.url}/api/users/x`, {
      method: "OPTIONS",
      headers: { origin, "access-control-request-method": "PATCH", "access-control-request-headers": "authorization,content-type" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers["access-control-allow-origin"]).toBe(origin);
    expect(preflight.headers["access-control-allow-methods"]).toMatch(/PATCH/);
    expect(preflight.headers["access-control-allow-methods"]).toMatch(/DELETE/);
  });
});

describe("GET /docs", () => {
  /** Swagger UI's files as the installed swagger-ui-dist ships them. */
  const swaggerUiFile = (name: string) =>
    readFileSync(join(dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json")), name), "utf8");

  it("redirects /docs to /docs/, where the relative asset URLs resolve", async () => {
    const { host } = new URL(server.url);
    const redirect = await sendRaw(server.url, `GET /docs HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
    expect(redirect.status).toBe(302);
    expect(redirect.headers.location).toBe("/docs/");
  });

  it("is the reference page: Swagger UI from this server, our initializer, no inline script", async () => {
    const page = await send(`${server.url}/docs/`);
    expect(page.status).toBe(200);
    expect(page.headers["content-type"]).toMatch(/^text\/html/);
    expect(page.text).toContain("<title>VoiceAssist API reference</title>");
    expect(page.text).toContain('data-openapi-url="/openapi.json"');
    const scripts = [...page.text.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.map((m) => /\bsrc="([^"]+)"/.exec(m[1]!)?.[1])).toEqual(["swagger-ui-bundle.js", "initializer.js"]);
    expect(scripts.every((m) => m[2]!.trim() === "")).toBe(true);
    const styles = [...page.text.matchAll(/<link\b[^>]*\brel="stylesheet"[^>]*\bhref="([^"]+)"/g)].map((m) => m[1]!);
    expect(styles).toEqual(["swagger-ui.css", "docs.css"]);
    expect(page.text).not.toMatch(/<style\b|\sstyle=|\son[a-z]+=|https?:\/\//i);

    const asset = (name: string) => send(new URL(name, `${server.url}/docs/`).href);
    const [bundle, css, initializer, ownCss] = await Promise.all(
      ["swagger-ui-bundle.js", "swagger-ui.css", "initializer.js", "docs.css"].map(asset),
    );
    expect(bundle!.headers["content-type"]).toMatch(/^text\/javascript/);
    expect(bundle!.text).toBe(swaggerUiFile("swagger-ui-bundle.js"));
    expect(css!.headers["content-type"]).toMatch(/^text\/css/);
    expect(css!.text).toBe(swaggerUiFile("swagger-ui.css"));
    expect(initializer!.headers["content-type"]).toMatch(/^text\/javascript/);
    expect(initializer!.text).toContain("SwaggerUIBundle(");
    expect(initializer!.text).toContain("dataset.openapiUrl");
    expect(ownCss!.headers["content-type"]).toMatch(/^text\/css/);
    for (const response of [page, bundle!, css!, initializer!, ownCss!]) {
      expect(response.status).toBe(200);
      expect(response.headers["x-content-type-options"]).toBe("nosniff");
    }
  });

  it("allows scripts, styles and fetches from this server only, and no inline or eval'd script", async () => {
    const page = await send(`${server.url}/docs/`);
    const directives = Object.fromEntries(
      page.headers["content-security-policy"]!.split(";").map((directive) => {
        const [name, ...values] = directive.trim().split(/\s+/);
        return [name!, values.join(" ")];
      }),
    );
    expect(directives).toMatchObject({
      "default-src": "'none'",
      "script-src": "'self'",
      "style-src": "'self'",
      "img-src": "'self' data:",
      "connect-src": "'self'",
      "frame-ancestors": "'none'",
      "base-uri": "'none'",
      "form-action": "'none'",
    });
    expect(page.headers["content-security-policy"]).not.toMatch(/unsafe-|nonce-|https?:|\*/);
    expect(page.headers["x-frame-options"]).toBeDefined();
    // The API keeps its own CSP.
    expect((await send(`${server.url}/api/health/live`)).headers["content-security-policy"]).toMatch(/^default-src 'none'/);
  });

  it("lets a browser revalidate an asset by its ETag (304, no body)", async () => {
    const first = await send(`${server.url}/docs/swagger-ui-bundle.js`);
    expect(first.headers.etag).toMatch(/^"[\w-]+"$/);
    expect(first.headers["cache-control"]).toBe("no-cache");
    const again = await send(`${server.url}/docs/swagger-ui-bundle.js`, { headers: { "if-none-match": first.headers.etag! } });
    expect(again).toMatchObject({ status: 304, text: "" });
    const stale = await send(`${server.url}/docs/swagger-ui-bundle.js`, { headers: { "if-none-match": '"an-older-build"' } });
    expect(stale.status).toBe(200);
    expect(stale.text).toBe(first.text);
  });

  it.each([
    "/docs/index.html",
    "/docs/swagger-initializer.js",
    "/docs/oauth2-redirect.html",
    "/docs/swagger-ui-bundle.js.map",
    "/docs/package.json",
    "/docs/%2e%2e/docs-page.ts",
    "/docs/..%2fdocs-page.ts",
  ])("serves no other file from either folder: %s is 404", async (path) => {
    expect((await send(`${server.url}${path}`)).status).toBe(404);
  });
});
