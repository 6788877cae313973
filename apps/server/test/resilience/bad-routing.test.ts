import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { callProcedure, expectStillLive } from "@voiceassist/testing/procedure-call";
import { errorsOf, expectClean, expectError, expectRequestIdInBody, send, type RawResponse } from "@voiceassist/testing/raw-http";
import { startTestServer, type TestServer } from "@voiceassist/testing/server";
import { randomIp, signUpAdmin } from "@voiceassist/testing/users";
import { PROCEDURES } from "./bad-input-cases";

/** Where a request goes and how: batches, unknown procedures, wrong methods, broken URLs and heads. */

let server: TestServer;
let adminToken: string;
beforeAll(async () => {
  server = await startTestServer();
  adminToken = (await signUpAdmin(server)).tokens.accessToken;
}, 60_000);
afterAll(() => server?.close());

const admin = () => ({ authorization: `Bearer ${adminToken}`, "x-forwarded-for": randomIp() });
const repeat = (path: string, n: number) => Array.from({ length: n }, () => path).join(",");
const batchBody = (inputs: unknown[]) => JSON.stringify(Object.fromEntries(inputs.map((input, i) => [i, { json: input }])));

function postBatch(paths: string, body: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  return send(`${server.trpcUrl}/${paths}?batch=1`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-for": randomIp(), ...headers },
    body,
  });
}

/** Each call's answer in a batch response: "OK" or its tRPC code. */
const codesOf = (res: RawResponse) => (res.body as any[]).map((item) => (item.result ? "OK" : item.error.json.data.code));

describe("malformed batches", () => {
  it("50 calls, the most allowed, all answer", async () => {
    const res = await send(`${server.trpcUrl}/${repeat("health.live", 50)}?batch=1`);
    expect(res.status).toBe(200);
    expect(codesOf(res)).toEqual(Array(50).fill("OK"));
  });

  it("51 queries → 400 BAD_REQUEST for the whole request", async () => {
    const res = await send(`${server.trpcUrl}/${repeat("health.live", 51)}?batch=1`);
    expectError(res, 400, "BAD_REQUEST");
    expect(Array.isArray(res.body)).toBe(false);
  });

  it("51 registrations → 400 and not one of them runs", async () => {
    const tag = `batch51-${Date.now()}`;
    const inputs = Array.from({ length: 51 }, (_, i) => ({ email: `${tag}-${i}@example.com`, password: "long-enough-pw" }));
    expectError(await postBatch(repeat("auth.register", 51), batchBody(inputs)), 400, "BAD_REQUEST");
    const list = await callProcedure(server, { path: "users.list", type: "query" }, { input: { search: tag }, headers: admin() });
    expect(list.body.result.data.json.total).toBe(0);
  });

  it.each([
    ["a string", '"hello"'],
    ["a number", "5"],
    ["null", "null"],
    ["an array", '[{"json":{}},{"json":{}}]'],
  ])("a batch body that is %s → 400, every call BAD_REQUEST", async (_name, body) => {
    const res = await postBatch("auth.login,auth.login", body);
    expect(res.status).toBe(400);
    expectClean(res);
    expect(codesOf(res)).toEqual(["BAD_REQUEST", "BAD_REQUEST"]);
  });

  it("a batch body missing the second call's input → that call alone is BAD_REQUEST", async () => {
    const res = await postBatch(
      "auth.login,auth.login",
      JSON.stringify({ 0: { json: { email: "nobody@example.com", password: "long-enough-pw" } } }),
    );
    expectClean(res);
    expect(codesOf(res)).toEqual(["UNAUTHORIZED", "BAD_REQUEST"]);
  });

  it("more inputs than calls → the extra inputs are ignored", async () => {
    const res = await postBatch("auth.login", batchBody(Array(3).fill({ email: "nobody@example.com", password: "long-enough-pw" })));
    expectClean(res);
    expect(codesOf(res)).toEqual(["UNAUTHORIZED"]);
  });

  it("a query and a mutation in one batch → 400 BAD_REQUEST", async () => {
    expectError(await send(`${server.trpcUrl}/health.live,auth.login?batch=1`), 400, "BAD_REQUEST");
    expectError(await postBatch("health.live,auth.login", batchBody([undefined, {}])), 400, "BAD_REQUEST");
  });

  it("an unknown or empty procedure name inside a batch → NOT_FOUND for that call only", async () => {
    const res = await send(`${server.trpcUrl}/health.live,nope.nothing,,health.live?batch=1`);
    expectClean(res);
    expect(codesOf(res)).toEqual(["OK", "NOT_FOUND", "NOT_FOUND", "OK"]);
  });

  it("?input= that is not JSON, or an array, on a batched query → 400 for each call", async () => {
    for (const input of ["{nope", "[1,2]"]) {
      const res = await send(`${server.trpcUrl}/users.list,users.list?batch=1&input=${encodeURIComponent(input)}`, { headers: admin() });
      expect(res.status).toBe(400);
      expectClean(res);
      expect(errorsOf(res.body).every((e) => e.data.code === "BAD_REQUEST")).toBe(true);
    }
  });

  // tRPC refuses these before any procedure runs; the contract still promises the id in the body.
  it("batches refused whole name the request id in the error body", async () => {
    expectRequestIdInBody(
      await send(`${server.trpcUrl}/${repeat("health.live", 51)}?batch=1`, { headers: { "x-request-id": "batch-51" } }),
    );
    expectRequestIdInBody(await send(`${server.trpcUrl}/health.live,auth.login?batch=1`, { headers: { "x-request-id": "batch-mixed" } }));
  });

  it("health.live still answers 200 afterwards", () => expectStillLive(server));
});

describe("unknown procedures", () => {
  const names = [
    "nope",
    "health",
    "health.nope",
    "health.live.deeper",
    "HEALTH.LIVE",
    "__proto__",
    "__proto__.toString",
    "health.constructor",
    "users.hasOwnProperty",
    "auth.__proto__.login",
    "toString",
  ];

  it.each(names)("GET and POST %s → 404 NOT_FOUND", async (name) => {
    expectError(await send(`${server.trpcUrl}/${name}`), 404, "NOT_FOUND");
    const post = await send(`${server.trpcUrl}/${name}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"json":{}}',
    });
    expectError(post, 404, "NOT_FOUND");
  });

  // Unknown routes under /api answer in the REST error body instead (test/openapi.test.ts).
  it.each(["/", "/trpc", "/trpc/", "/.env", "/trpc/../etc/passwd"])("%s → 404 NOT_FOUND in the tRPC envelope", async (path) => {
    expectError(await send(`${server.url}${path}`), 404, "NOT_FOUND");
  });

  it("health.live still answers 200 afterwards", () => expectStillLive(server));
});

describe("wrong HTTP methods", () => {
  const queries = PROCEDURES.filter((spec) => spec.type === "query");
  const mutations = PROCEDURES.filter((spec) => spec.type === "mutation");

  it.each(mutations.map((spec) => spec.path))("GET %s (a mutation) → 405 METHOD_NOT_SUPPORTED", async (path) => {
    expectError(
      await send(`${server.trpcUrl}/${path}?input=${encodeURIComponent('{"json":{}}')}`, { headers: admin() }),
      405,
      "METHOD_NOT_SUPPORTED",
    );
  });

  it.each(queries.map((spec) => spec.path))("POST %s (a query) → 405 METHOD_NOT_SUPPORTED", async (path) => {
    const res = await send(`${server.trpcUrl}/${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...admin() },
      body: '{"json":{}}',
    });
    expectError(res, 405, "METHOD_NOT_SUPPORTED");
  });

  it.each(["PUT", "PATCH", "DELETE"])("%s on a query and on a mutation → 405 METHOD_NOT_SUPPORTED", async (method) => {
    for (const path of ["users.me", "users.updateMe"]) {
      const res = await send(`${server.trpcUrl}/${path}`, {
        method,
        headers: { "content-type": "application/json", ...admin() },
        body: '{"json":{}}',
      });
      expectError(res, 405, "METHOD_NOT_SUPPORTED");
    }
  });

  it("health.live still answers 200 afterwards", () => expectStillLive(server));
});

describe("broken URLs and oversized heads", () => {
  // Fastify's router answers these itself unless `frameworkErrors` hands them to the app.
  it("a malformed percent-encoding in the path → 400 in the tRPC envelope with an x-request-id", async () => {
    expectError(await send(`${server.trpcUrl}/%E0%A4%A`), 400, "BAD_REQUEST");
  });

  it("a 6 000-character procedure path → 404 or 414 in the tRPC envelope with an x-request-id", async () => {
    const res = await send(`${server.trpcUrl}/${"a.".repeat(3000)}b`);
    expect([404, 414]).toContain(res.status);
    expectClean(res);
  });

  it("a malformed percent-encoding in ?input= → 400 BAD_REQUEST", async () => {
    expectError(await send(`${server.trpcUrl}/users.list?input=%7B%22json%22%3A%FF`, { headers: admin() }), 400, "BAD_REQUEST");
  });

  // Node's HTTP parser answers 431 before Fastify sees the request; the contract still wants the id on every response.
  it("headers over Node's 16 KB limit → 431 with an x-request-id", async () => {
    const res = await send(`${server.trpcUrl}/health.live`, { headers: { "x-padding": "p".repeat(20_000) } });
    expect(res.status).toBe(431);
    expect(res.headers["x-request-id"] ?? "<missing>").toMatch(/^[A-Za-z0-9._-]{1,128}$/);
  });

  it("health.live still answers 200 afterwards", () => expectStillLive(server));
});
