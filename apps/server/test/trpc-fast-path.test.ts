import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { buildApp, createLogger, type App } from "@voiceassist/server";
import { startTestServer, type TestServer } from "@voiceassist/testing/server";
import { randomIp, signUp, signUpAdmin } from "@voiceassist/testing/users";

/**
 * The query fast path (plugins/trpc-query-fast-path.ts) must answer exactly
 * as tRPC's resolveResponse does. One server answers with it, a second app on
 * the same deps without it; every request here goes to both and the answers
 * must match in status, body and the headers a client reads.
 */
describe("/trpc query fast path", () => {
  let server: TestServer;
  let slow: App;
  let userToken: string;
  let adminToken: string;

  beforeAll(async () => {
    server = await startTestServer();
    slow = await buildApp({
      config: server.config,
      deps: server.deps.api,
      logger: createLogger(server.config.LOG_LEVEL),
      trpc: { queryFastPath: false },
    });
    userToken = (await signUp(server)).tokens.accessToken;
    adminToken = (await signUpAdmin(server)).tokens.accessToken;
  });
  afterAll(async () => {
    await slow?.close();
    await server?.close();
  });

  const compared = ["content-type", "vary", "retry-after", "cache-control", "x-request-id"];

  async function both(url: string, headers: Record<string, string> = {}) {
    const ask = (app: App) =>
      app.inject({ method: "GET", url, headers: { "x-forwarded-for": randomIp(), "x-request-id": "fast-path-compare", ...headers } });
    const [fast, reference] = [await ask(server.app), await ask(slow)];
    const view = (r: Awaited<ReturnType<typeof ask>>) => ({
      status: r.statusCode,
      body: JSON.parse(r.body),
      headers: Object.fromEntries(compared.map((name) => [name, r.headers[name]])),
    });
    return { fast: view(fast), reference: view(reference) };
  }

  const input = (value: unknown) => `?input=${encodeURIComponent(JSON.stringify({ json: value }))}`;
  const batchInput = (byIndex: Record<number, unknown>) =>
    encodeURIComponent(JSON.stringify(Object.fromEntries(Object.entries(byIndex).map(([index, value]) => [index, { json: value }]))));
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  const cases: [string, () => [string, Record<string, string>?]][] = [
    ["health.live", () => ["/trpc/health.live"]],
    ["health.ready", () => ["/trpc/health.ready"]],
    ["auth.me with a token", () => ["/trpc/auth.me", bearer(userToken)]],
    ["auth.me without a token (401)", () => ["/trpc/auth.me"]],
    ["auth.me with a forged token (401)", () => ["/trpc/auth.me", bearer(`${userToken.slice(0, -4)}AAAA`)]],
    ["auth.me with a non-bearer header (401)", () => ["/trpc/auth.me", { authorization: "Basic abc" }]],
    ["users.list as admin", () => [`/trpc/users.list${input({ page: 1, pageSize: 5 })}`, bearer(adminToken)]],
    ["users.list as a user (403)", () => [`/trpc/users.list${input({ page: 1, pageSize: 5 })}`, bearer(userToken)]],
    ["users.list with an invalid input (400)", () => [`/trpc/users.list${input({ page: -1, pageSize: 5000 })}`, bearer(adminToken)]],
    ["users.list with an unknown key (400)", () => [`/trpc/users.list${input({ page: 1, nope: true })}`, bearer(adminToken)]],
    ["users.list with malformed JSON input", () => ["/trpc/users.list?input=%7B", bearer(adminToken)]],
    ["users.list with a secret-looking non-JSON input", () => ["/trpc/users.list?input=hunter2-secret", bearer(adminToken)]],
    [
      "users.list with a superjson input it cannot read",
      () => [`/trpc/users.list?input=${encodeURIComponent('{"json":{},"meta":{"values":{"x":["weird"]}}}')}`, bearer(adminToken)],
    ],
    [
      "users.get of an unknown id (404)",
      () => [`/trpc/users.get${input({ id: "00000000-0000-4000-8000-000000000000" })}`, bearer(adminToken)],
    ],
    ["users.get without input (400)", () => ["/trpc/users.get", bearer(adminToken)]],
    ["audit.list as admin", () => [`/trpc/audit.list${input({ page: 1, pageSize: 3 })}`, bearer(adminToken)]],
    ["mfa.status", () => ["/trpc/mfa.status", bearer(userToken)]],
    ["auth.sessions", () => ["/trpc/auth.sessions", bearer(userToken)]],
    ["a mutation over GET (405)", () => ["/trpc/auth.logout", bearer(userToken)]],
    ["an unknown procedure (404)", () => ["/trpc/auth.nothing"]],
    ["a batch of one", () => [`/trpc/auth.me?batch=1&input=${encodeURIComponent("{}")}`, bearer(userToken)]],
    ["a batch without input", () => ["/trpc/auth.me,mfa.status?batch=1", bearer(userToken)]],
    [
      "a batch as the admin panel sends it",
      () => [
        `/trpc/auth.me,users.list,audit.list?batch=1&input=${batchInput({ 1: { page: 1, pageSize: 5 }, 2: { page: 1, pageSize: 3 } })}`,
        bearer(adminToken),
      ],
    ],
    [
      "a batch with one refusal (207)",
      () => [`/trpc/auth.me,users.list?batch=1&input=${batchInput({ 1: { page: 1 } })}`, bearer(userToken)],
    ],
    ["a batch where every call is refused", () => [`/trpc/auth.me,users.list?batch=1&input=${batchInput({ 1: { page: 1 } })}`]],
    [
      "a batch with one invalid input",
      () => [`/trpc/users.list,users.list?batch=1&input=${batchInput({ 0: { page: 0 }, 1: { page: 1 } })}`, bearer(adminToken)],
    ],
    ["a batch input that is not an object", () => [`/trpc/users.list?batch=1&input=${encodeURIComponent("[1]")}`, bearer(adminToken)]],
    [
      "a batch with extra input keys",
      () => [`/trpc/auth.me?batch=1&input=${encodeURIComponent('{"0":{"json":null},"x":{"json":1},"7":5}')}`, bearer(userToken)],
    ],
    ["a batch over 50", () => [`/trpc/${Array.from({ length: 51 }, () => "health.live").join(",")}?batch=1`]],
    ["a batch with a mutation", () => [`/trpc/auth.me,auth.logout?batch=1`, bearer(userToken)]],
    ["a batch with an unknown procedure", () => [`/trpc/auth.me,auth.nothing?batch=1`, bearer(userToken)]],
    ["an encoded path", () => ["/trpc/auth%2Eme", bearer(userToken)]],
    ["a streaming accept on an unbatched call", () => ["/trpc/health.live", { "trpc-accept": "application/jsonl" }]],
  ];

  it.each(cases)("%s answers the same on both paths", async (_name, request) => {
    const [url, headers] = request();
    const { fast, reference } = await both(url, headers);
    expect(fast.status).toBe(reference.status);
    expect(normalise(fast.body)).toEqual(normalise(reference.body));
    expect(fast.headers).toEqual(reference.headers);
  });

  it("an unreadable input is not echoed back on either path (V8's JSON errors quote the text they read)", async () => {
    for (const app of [server.app, slow]) {
      const secret = "hunter2-correct-horse";
      for (const url of [`/trpc/users.list?input=${secret}`, `/trpc/users.list,users.list?batch=1&input=${secret}`]) {
        const answer = await app.inject({ method: "GET", url, headers: bearer(adminToken) });
        expect(answer.statusCode).toBe(400);
        expect(answer.body).not.toContain("hunter2");
        expect(answer.body).toContain("The input is not valid JSON");
      }
    }
  });
});

/** Times and uptimes differ between two calls; everything else must not. */
function normalise(body: unknown): unknown {
  return JSON.parse(
    JSON.stringify(body, (key, value) =>
      ["timestamp", "uptimeSeconds", "checkedAt", "latencyMs", "lastUsedAt"].includes(key) ? "·" : value,
    ),
  );
}
