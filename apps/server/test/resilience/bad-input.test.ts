import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { callProcedure, callProcedureRaw, expectStillLive } from "@voiceassist/testing/procedure-call";
import { expectClean, expectError } from "@voiceassist/testing/raw-http";
import { startTestServer, type TestServer } from "@voiceassist/testing/server";
import { signUp, signUpAdmin, uniqueEmail } from "@voiceassist/testing/users";
import { PROCEDURES, resolveInput, shapeCases, type Fixture, type Who } from "./bad-input-cases";

/**
 * Malformed input at every procedure (the table in bad-input-cases.ts) and
 * garbage credentials at every protected one. Each answer must be the
 * contract's code and status, never a 5xx, with an x-request-id and no
 * stack, SQL or secret in the body. Bodies, encodings and nesting are in
 * bad-transport.test.ts; batches, routing and methods in bad-routing.test.ts.
 */

let server: TestServer;
let fixture: Fixture;
const tokens: Record<Exclude<Who, "freshUser">, string | undefined> = { anon: undefined, user: undefined, admin: undefined };

beforeAll(async () => {
  server = await startTestServer();
  const user = await signUp(server);
  const admin = await signUpAdmin(server);
  tokens.user = user.tokens.accessToken;
  tokens.admin = admin.tokens.accessToken;
  fixture = {
    user: { id: user.user.id, email: user.email, refreshToken: user.tokens.refreshToken },
    admin: { id: admin.user.id },
  };
}, 60_000);
afterAll(() => server?.close());

const authHeader = async (who: Who): Promise<Record<string, string>> => {
  const token = who === "freshUser" ? (await signUp(server)).tokens.accessToken : tokens[who];
  return token ? { authorization: `Bearer ${token}` } : {};
};

describe("malformed input, procedure by procedure", () => {
  const withCases = PROCEDURES.map((spec) => ({ spec, cases: [...shapeCases(spec), ...spec.cases] })).filter((p) => p.cases.length);

  describe.each(withCases.map(({ spec, cases }) => [spec.path, spec, cases] as const))("%s", (_path, spec, cases) => {
    it.each(cases)("$name → $status $code", async (testCase) => {
      const res = await callProcedure(server, spec, {
        input: resolveInput(testCase.input, fixture),
        raw: testCase.raw?.(fixture),
        headers: await authHeader(spec.who),
      });
      if (testCase.status === 200) {
        expect(res.status, res.text.slice(0, 300)).toBe(200);
        expectClean(res);
      } else {
        expectError(res, testCase.status, testCase.code);
      }
    });
  });

  // tRPC ignores input sent to a procedure that declares none; what matters is that it never breaks on it.
  const inputless = PROCEDURES.filter((spec) => spec.input === "none");
  it.each(inputless.map((spec) => [spec.path, spec] as const))("%s ignores any input it does not take", async (_path, spec) => {
    for (const input of ["garbage", 42, null, { extra: true }, [1, 2, 3]]) {
      const res = await callProcedure(server, spec, { input, headers: await authHeader(spec.who) });
      expect(res.status, res.text.slice(0, 300)).toBe(200);
      expectClean(res);
    }
  });

  // superjson drops a `__proto__` key before zod sees it, so strictness alone cannot catch it.
  it("an own __proto__ key is refused like any other unknown key, and registers nobody", async () => {
    const email = uniqueEmail("proto");
    const res = await callProcedure(
      server,
      { path: "auth.register", type: "mutation" },
      {
        raw: `{"json":{"email":"${email}","password":"long-enough-pw","__proto__":{"isAdmin":true}}}`,
      },
    );
    expectError(res, 400, "BAD_REQUEST");
    const list = await callProcedure(
      server,
      { path: "users.list", type: "query" },
      { input: { search: email }, headers: await authHeader("admin") },
    );
    expect(list.body.result.data.json.total).toBe(0);
  });

  // Queries carry their input in the URL, past any body check.
  it("an own __proto__ key in a query's ?input= is refused too", async () => {
    const res = await callProcedure(
      server,
      { path: "users.list", type: "query" },
      {
        raw: '{"json":{"limit":5,"__proto__":{"isAdmin":true}}}',
        headers: await authHeader("admin"),
      },
    );
    expectError(res, 400, "BAD_REQUEST");
  });

  it("health.live still answers 200 afterwards", () => expectStillLive(server));
});

describe("garbage Authorization headers on protected procedures", () => {
  const protectedProcedures = PROCEDURES.filter((spec) => spec.who !== "anon");
  const validToken = () => tokens.user!;
  const jwtShaped10k = `${"a".repeat(3400)}.${"b".repeat(3400)}.${"c".repeat(3400)}`;

  const garbage: Array<[string, () => string]> = [
    ["an empty header", () => ""],
    ["the scheme alone", () => "Bearer"],
    ["the scheme and a space", () => "Bearer "],
    ["Basic credentials", () => "Basic dXNlcjpwYXNzd29yZA=="],
    ["Bearer + 10 KB", () => `Bearer ${"a".repeat(10 * 1024)}`],
    ["Bearer + 10 KB shaped like a JWT", () => `Bearer ${jwtShaped10k}`],
    ["15 KB of garbage without a scheme", () => "x".repeat(15_000)],
    ["two Bearer tokens in one header", () => `Bearer ${validToken()}, Bearer ${validToken()}`],
    ["Bearer twice", () => `Bearer Bearer ${validToken()}`],
    ["a valid token with a fourth segment", () => `Bearer ${validToken()}.AAAA`],
    ["a valid token with its signature cut off", () => `Bearer ${validToken().split(".").slice(0, 2).join(".")}.`],
    ["Latin-1 characters", () => "Bearer t\u00f6k\u00e9n.\u00e4\u00e4.\u00f6\u00f6"],
  ];

  it.each(garbage)("%s → 401 on every protected procedure", async (_name, header) => {
    for (const spec of protectedProcedures) {
      const input = spec.valid ? spec.valid(fixture) : undefined;
      const res = await callProcedure(server, spec, { input, headers: { authorization: header() } });
      expectError(res, 401, "UNAUTHORIZED");
    }
  });

  // fetch refuses these header bytes, so they go out on a raw socket.
  const rawGarbage: Array<[string, () => Buffer[]]> = [
    ["non-Latin-1 UTF-8 text", () => [Buffer.from("Authorization: Bearer \u0442\u043e\u043a\u0435\u043d.\u{1F511}.\u{1F511}", "utf8")]],
    [
      "invalid UTF-8 bytes",
      () => [Buffer.concat([Buffer.from("Authorization: Bearer "), Buffer.from([0xff, 0xfe, 0xc3, 0x28]), Buffer.from(".a.b")])],
    ],
    // Node keeps the first of duplicate Authorization headers; a valid second one must not sneak in.
    [
      "two Authorization headers, the first one garbage",
      () => [Buffer.from("Authorization: Bearer garbage.garbage.garbage"), Buffer.from(`Authorization: Bearer ${validToken()}`)],
    ],
  ];

  it.each(rawGarbage)("%s → 401 on every protected procedure", async (_name, lines) => {
    for (const spec of protectedProcedures) {
      const input = spec.valid ? spec.valid(fixture) : undefined;
      const res = await callProcedureRaw(server, spec, input, lines());
      expectError(res, 401, "UNAUTHORIZED");
    }
  });

  it("the same garbage is ignored by public procedures", async () => {
    for (const [, header] of garbage.filter(([, h]) => h() !== "")) {
      const live = await callProcedure(server, { path: "health.live", type: "query" }, { headers: { authorization: header() } });
      expect(live.status).toBe(200);
      const login = await callProcedure(
        server,
        { path: "auth.login", type: "mutation" },
        {
          input: { email: "nobody@example.com", password: "long-enough-pw" },
          headers: { authorization: header() },
        },
      );
      expectError(login, 401, "UNAUTHORIZED");
      expect(login.body.error.json.message).toBe("Invalid email or password");
    }
    const register = await callProcedure(
      server,
      { path: "auth.register", type: "mutation" },
      {
        input: { email: uniqueEmail("garbage-auth"), password: "long-enough-pw" },
        headers: { authorization: `Bearer ${jwtShaped10k}` },
      },
    );
    expect(register.status, register.text.slice(0, 300)).toBe(200);
  });

  it("the real token still works afterwards (nothing above revoked it)", async () => {
    const res = await callProcedure(server, { path: "auth.me", type: "query" }, { headers: await authHeader("user") });
    expect(res.status).toBe(200);
    expect(res.body.result.data.json.id).toBe(fixture.user.id);
  });

  it("health.live still answers 200 afterwards", () => expectStillLive(server));
});
