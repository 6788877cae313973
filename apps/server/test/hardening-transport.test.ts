import { randomBytes } from "node:crypto";
import { connect } from "node:net";

import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { auditEvents } from "@voiceassist/db";

import { expectClean, expectError, send } from "@voiceassist/testing/raw-http";
import { startTestServer, type TestServer } from "@voiceassist/testing/server";
import { PASSWORD, randomIp, signUp, uniqueEmail } from "@voiceassist/testing/users";

const hex = () => randomBytes(2).toString("hex");
/** Four hex digits with no leading zero, so the canonical spelling is plain to write down. */
const group = () => (0x1000 + (randomBytes(2).readUInt16BE() % 0xf000)).toString(16);

/** A failed login from `xff` (the test server trusts X-Forwarded-For from loopback); a fresh email keeps account lockout out of it. */
const login = (server: TestServer, xff: string, headers: Record<string, string> = {}, email = uniqueEmail("nobody")) =>
  send(`${server.trpcUrl}/auth.login`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-for": xff, ...headers },
    body: JSON.stringify({ json: { email, password: PASSWORD } }),
  });

const auditRows = (server: TestServer, action: string, requestId: string) =>
  server.deps.api.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.action, action), eq(auditEvents.requestId, requestId)));

describe("transport hardening", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.close());

  describe("F6: rate-limit keys are canonical client addresses", () => {
    it("spellings of one IPv4 address (mapped, port, case) share one login budget", async () => {
      const ip = randomIp();
      const variants = [ip, `::ffff:${ip}`, `::FFFF:${ip}`, `${ip}:5555`, `[::ffff:${ip}]:443`];
      for (let i = 0; i < 10; i++) expect((await login(server, variants[i % variants.length]!)).status).toBe(401);
      const refused = await login(server, `::ffff:${ip}`, { "x-request-id": `f6-v4-${hex()}` });
      expect(refused.status).toBe(429);
      // The audit row names the address itself, not a spelling of it.
      const [row] = await auditRows(server, "ratelimit.exceeded", refused.headers["x-request-id"]!);
      expect(row?.ip).toBe(ip);
    });

    it("IPv6 addresses in one /64 share a budget; the audit row keeps the full canonical address", async () => {
      const [a, b] = [group(), group()];
      const prefix = `2001:db8:${a}:${b}`;
      // Different hosts, upper case, leading zeros, a zone id, a port: all one /64.
      const variants = [
        `${prefix}::1`,
        `${prefix}::2`,
        `2001:0DB8:${a.toUpperCase()}:${b}:0:0:0:3`,
        `${prefix}::4%eth0`,
        `[${prefix}::5]:8080`,
      ];
      for (let i = 0; i < 10; i++) expect((await login(server, variants[i % variants.length]!)).status).toBe(401);
      const refused = await login(server, `2001:0db8:${a}:${b}:0000:0000:0000:00ab`, { "x-request-id": `f6-v6-${hex()}` });
      expect(refused.status).toBe(429);
      const [row] = await auditRows(server, "ratelimit.exceeded", refused.headers["x-request-id"]!);
      expect(row?.ip).toBe(`2001:db8:${a}:${b}::ab`);
      // The neighbouring /64 has its own budget.
      expect((await login(server, `2001:db8:${a}:${(parseInt(b, 16) ^ 1).toString(16)}::1`)).status).toBe(401);
    });
  });

  describe("F15: an X-Forwarded-For that is not an IP", () => {
    it("a 65-character value is a normal answer with its audit row (socket address), never a 500", async () => {
      const requestId = `f15-${hex()}`;
      const res = await login(server, "a".repeat(65), { "x-request-id": requestId });
      expectError(res, 401, "UNAUTHORIZED");
      const [row] = await auditRows(server, "auth.login", requestId);
      expect(row?.ip).toBe("127.0.0.1");
    });

    it("an over-long zone id is dropped, the address kept", async () => {
      const requestId = `f15z-${hex()}`;
      const res = await login(server, `fe80::1%${"x".repeat(70)}`, { "x-request-id": requestId });
      expectError(res, 401, "UNAUTHORIZED");
      const [row] = await auditRows(server, "auth.login", requestId);
      expect(row?.ip).toBe("fe80::1");
    });
  });

  describe("F13: security headers", () => {
    it("nosniff and a deny-all CSP on a health call", async () => {
      const res = await send(`${server.trpcUrl}/health.live`);
      expect(res.status).toBe(200);
      expect(res.headers["x-content-type-options"]).toBe("nosniff");
      expect(res.headers["content-security-policy"]).toContain("default-src 'none'");
    });

    it("nosniff on a 404, inside and outside /trpc", async () => {
      for (const url of [`${server.url}/nope`, `${server.trpcUrl}/nope.nothing`]) {
        const res = await send(url);
        expect(res.status).toBe(404);
        expect(res.headers["x-content-type-options"]).toBe("nosniff");
      }
    });

    it("nosniff on answers given before any hook runs (malformed URL, oversized headers)", async () => {
      const badUrl = await send(`${server.trpcUrl}/%E0%A4%A`);
      expect(badUrl.status).toBe(400);
      expect(badUrl.headers["x-content-type-options"]).toBe("nosniff");
      const tooBig = await send(`${server.trpcUrl}/health.live`, { headers: { "x-big": "a".repeat(20_000) } });
      expect(tooBig.status).toBe(431);
      expect(tooBig.headers["x-content-type-options"]).toBe("nosniff");
    });

    it("token responses (a successful login) and failed ones carry Cache-Control: no-store", async () => {
      const user = await signUp(server);
      const ok = await login(server, randomIp(), {}, user.email);
      expect(ok.status).toBe(200);
      expect(ok.body.result.data.json.accessToken).toEqual(expect.any(String));
      expect(ok.headers["cache-control"]).toBe("no-store");
      const failed = await login(server, randomIp());
      expect(failed.status).toBe(401);
      expect(failed.headers["cache-control"]).toBe("no-store");
    });
  });

  describe("F14: the forbidden-key guard checks the parsed input", () => {
    it("refuses __proto__ and constructor.prototype spelled with JSON escapes", async () => {
      const login = `"email":"nobody@example.com","password":"${PASSWORD}"`;
      for (const raw of [
        `{"json":{${login},"\\u005f_proto__":{"isAdmin":true}}}`,
        `{"json":{${login},"\\u0063onstructor":{"prototype":{"isAdmin":true}}}}`,
      ]) {
        const res = await send(`${server.trpcUrl}/auth.login`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-forwarded-for": randomIp() },
          body: raw,
        });
        expectError(res, 400, "BAD_REQUEST");
      }
    });

    it("refuses an escaped forbidden key in a GET input too", async () => {
      const input = encodeURIComponent(`{"json":{"\\u005f_proto__":{"isAdmin":true}}}`);
      expectError(await send(`${server.trpcUrl}/health.live?input=${input}`), 400, "BAD_REQUEST");
    });

    it("refuses a repeated input or batch query parameter instead of checking only one", async () => {
      const poisoned = encodeURIComponent(`{"json":{"__proto__":{"isAdmin":true}}}`);
      const harmless = encodeURIComponent(`{"json":{}}`);
      expectError(await send(`${server.trpcUrl}/health.live?input=${poisoned}&input=${harmless}`), 400, "BAD_REQUEST");
      const batch = await send(`${server.trpcUrl}/health.live?batch=1&batch=1&input=${encodeURIComponent("{}")}`);
      expectError(batch, 400, "BAD_REQUEST");
      // A single input stays fine.
      expect((await send(`${server.trpcUrl}/health.live?input=${harmless}`)).status).toBe(200);
    });
  });

  describe("F21: superjson meta is bounded", () => {
    const call = (meta: unknown, path = "health.live") =>
      send(`${server.trpcUrl}/${path}?input=${encodeURIComponent(JSON.stringify({ json: {}, meta }))}`);

    it("refuses a meta with more values than any input needs", async () => {
      const values = Object.fromEntries(Array.from({ length: 150 }, (_, i) => [i, ["undefined"]]));
      expectError(await call({ values }), 400, "BAD_REQUEST");
    });

    it("refuses a deeply nested meta", async () => {
      let values: unknown = ["undefined"];
      for (let i = 0; i < 40; i++) values = { a: values };
      expectError(await call({ values }), 400, "BAD_REQUEST");
    });

    it("refuses an oversized meta inside one call of a batch", async () => {
      const values = Object.fromEntries(Array.from({ length: 150 }, (_, i) => [i, ["undefined"]]));
      const input = encodeURIComponent(JSON.stringify({ 0: { json: {} }, 1: { json: {}, meta: { values } } }));
      expectError(await send(`${server.trpcUrl}/health.live,health.live?batch=1&input=${input}`), 400, "BAD_REQUEST");
    });

    it("lets a small meta through", async () => {
      const res = await call({ values: { x: ["undefined"] } });
      expectClean(res);
      expect(res.status).toBe(200);
    });
  });

  describe("F20: a client-chosen request id is recorded with the server's own", () => {
    it("echoes the client id and adds serverRequestId to the audit detail", async () => {
      const clientId = `client-chosen-${hex()}`;
      const res = await login(server, randomIp(), { "x-request-id": clientId });
      expect(res.headers["x-request-id"]).toBe(clientId);
      const [row] = await auditRows(server, "auth.login", clientId);
      const serverId = (row?.detail as Record<string, unknown> | null)?.serverRequestId;
      expect(serverId).toMatch(/^[0-9a-f-]{36}$/);
      expect(serverId).not.toBe(clientId);
    });

    it("adds nothing when the server minted the id itself", async () => {
      const res = await login(server, randomIp());
      const [row] = await auditRows(server, "auth.login", res.headers["x-request-id"]!);
      expect(row).toBeDefined();
      expect((row!.detail as Record<string, unknown> | null)?.serverRequestId).toBeUndefined();
    });
  });
});

describe("F10: HTTP time bounds", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { REQUEST_TIMEOUT_MS: "1000", HEADERS_TIMEOUT_MS: "1000" } });
  });
  afterAll(() => server?.close());

  it("the defaults bound the production server", async () => {
    const defaults = await startTestServer();
    try {
      const { requestTimeout, headersTimeout, keepAliveTimeout } = defaults.app.server;
      expect({ requestTimeout, headersTimeout, keepAliveTimeout }).toEqual({
        requestTimeout: 30_000,
        headersTimeout: 10_000,
        keepAliveTimeout: 5_000,
      });
    } finally {
      await defaults.close();
    }
  });

  it("closes a connection that trickles its body slower than REQUEST_TIMEOUT_MS", async () => {
    const { hostname, port } = new URL(server.url);
    const socket = connect({ host: hostname, port: Number(port) });
    const received: Buffer[] = [];
    socket.on("data", (chunk) => received.push(chunk));
    socket.on("error", () => {});
    const started = Date.now();
    socket.write("POST /trpc/auth.login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{");
    const trickle = setInterval(() => socket.writable && socket.write(" "), 200);
    // Old servers (requestTimeout 0) keep it open forever; allow several times the limit.
    const outcome = await new Promise<"closed" | "still open">((resolve) => {
      socket.on("close", () => resolve("closed"));
      setTimeout(() => resolve("still open"), 6000);
    });
    clearInterval(trickle);
    socket.destroy();
    expect(outcome).toBe("closed");
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    const head = Buffer.concat(received).toString("latin1");
    if (head) expect(head).toMatch(/^HTTP\/1\.1 408/);
  });
});
