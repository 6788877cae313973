import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startTestServer, type TestServer } from "@voiceassist/testing/server";
import { clientFrom, codeOf, PASSWORD, post, randomIp, signUp, signUpAdmin, uniqueEmail } from "@voiceassist/testing/users";

const login = (server: TestServer, ip: string) =>
  post(server, "auth.login", { email: "nobody@example.com", password: PASSWORD }, { "x-forwarded-for": ip });

describe("rate limits (behind a trusted proxy)", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.close());

  it("login: 10 per minute per IP, then 429 with Retry-After and an audit event", async () => {
    const ip = randomIp();
    for (let i = 0; i < 10; i++) expect((await login(server, ip)).response.status).toBe(401);
    const { response, body } = await login(server, ip);
    expect(response.status).toBe(429);
    expect(body.error.json.data.code).toBe("TOO_MANY_REQUESTS");
    const retryAfter = response.headers.get("retry-after");
    expect(retryAfter).toMatch(/^\d+$/);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(retryAfter)).toBeLessThanOrEqual(60);
    // Another client is unaffected.
    expect((await login(server, randomIp())).response.status).toBe(401);

    const admin = await signUpAdmin(server);
    const events = await admin.client.audit.list.query({ action: "ratelimit.exceeded" });
    expect(events.items.some((e) => e.ip === ip && e.detail?.limit === "login")).toBe(true);
  });

  it("counts every call in a batch: 30 batched logins spend 30, only 10 proceed", async () => {
    const ip = randomIp();
    const client = clientFrom(server, ip);
    const outcomes = await Promise.all(
      Array.from({ length: 30 }, () => codeOf(client.auth.login.mutate({ email: "nobody@example.com", password: PASSWORD }))),
    );
    expect(outcomes.filter((c) => c === "UNAUTHORIZED")).toHaveLength(10);
    expect(outcomes.filter((c) => c === "TOO_MANY_REQUESTS")).toHaveLength(20);
  });

  it("register: 5 per hour per IP", async () => {
    const client = clientFrom(server);
    const outcomes = [];
    for (let i = 0; i < 6; i++) outcomes.push(await codeOf(client.auth.register.mutate({ email: uniqueEmail(), password: PASSWORD })));
    expect(outcomes).toEqual(["OK", "OK", "OK", "OK", "OK", "TOO_MANY_REQUESTS"]);
  });

  it("refresh: 20 per minute per IP, failed attempts count too", async () => {
    const client = clientFrom(server);
    const outcomes = [];
    for (let i = 0; i < 21; i++) outcomes.push(await codeOf(client.auth.refresh.mutate({ refreshToken: "garbage" })));
    expect(outcomes.slice(0, 20).every((c) => c === "UNAUTHORIZED")).toBe(true);
    expect(outcomes[20]).toBe("TOO_MANY_REQUESTS");
  });

  it("a refused login never reaches the password check (a right password is refused too)", async () => {
    const user = await signUp(server);
    const ip = randomIp();
    for (let i = 0; i < 10; i++) await login(server, ip);
    const { response } = await post(server, "auth.login", { email: user.email, password: PASSWORD }, { "x-forwarded-for": ip });
    expect(response.status).toBe(429);
  });
});

describe("client IP without TRUST_PROXY", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { TRUST_PROXY: undefined } });
  });
  afterAll(() => server?.close());

  it("ignores X-Forwarded-For, so spoofing it does not reset a limit", async () => {
    for (let i = 0; i < 10; i++) expect((await login(server, randomIp())).response.status).toBe(401);
    expect((await login(server, randomIp())).response.status).toBe(429);
  });
});

describe("TRUST_PROXY as a hop count", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { TRUST_PROXY: "1" } });
  });
  afterAll(() => server?.close());

  it("uses the right-most X-Forwarded-For entry, so a forged left part changes nothing", async () => {
    const real = randomIp();
    for (let i = 0; i < 10; i++) {
      const { response } = await post(
        server,
        "auth.login",
        { email: "x@example.com", password: PASSWORD },
        {
          "x-forwarded-for": `${randomIp()}, ${real}`,
        },
      );
      expect(response.status).toBe(401);
    }
    const { response } = await post(
      server,
      "auth.login",
      { email: "x@example.com", password: PASSWORD },
      {
        "x-forwarded-for": `${randomIp()}, ${real}`,
      },
    );
    expect(response.status).toBe(429);
  });
});
