import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { expectStillLive } from "@voiceassist/testing/procedure-call";
import { expectClean, expectError, expectRequestIdInBody, send, type RawResponse } from "@voiceassist/testing/raw-http";
import { startTestServer, type TestServer } from "@voiceassist/testing/server";
import { randomIp, signUp, signUpAdmin, uniqueEmail } from "@voiceassist/testing/users";
import { PROCEDURES } from "./bad-input-cases";

/** Request bodies the JSON/superjson layers must survive: size, encoding, nesting, content types. */

let server: TestServer;
let userToken: string;
let adminToken: string;
beforeAll(async () => {
  server = await startTestServer();
  userToken = (await signUp(server)).tokens.accessToken;
  adminToken = (await signUpAdmin(server)).tokens.accessToken;
}, 60_000);
afterAll(() => server?.close());

const mutations = PROCEDURES.filter((spec) => spec.type === "mutation");
// Malformed bodies never reach a per-user limit, so one user serves the "freshUser" procedures too.
const tokenFor = (who: string) => (who === "admin" ? adminToken : who === "user" || who === "freshUser" ? userToken : undefined);

/** POSTs a body exactly as given, from a fresh IP (so no rate limit interferes), with a token when the procedure wants one. */
function postRaw(
  path: string,
  body: string | Buffer | ReadableStream<Uint8Array>,
  headers: Record<string, string> = {},
): Promise<RawResponse> {
  const who = PROCEDURES.find((spec) => spec.path === path)?.who ?? "anon";
  const token = tokenFor(who);
  return send(`${server.trpcUrl}/${path}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-forwarded-for": randomIp(),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body,
  });
}

const bytes = (...parts: Array<string | number[]>) =>
  Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p) : Buffer.from(p))));

describe("oversized bodies", () => {
  const twoMiB = JSON.stringify({ json: { email: "a@example.com", password: "x".repeat(2 * 1024 * 1024) } });

  it.each(mutations.map((spec) => spec.path))("%s: a 2 MiB body → 413 PAYLOAD_TOO_LARGE", async (path) => {
    expectError(await postRaw(path, twoMiB), 413, "PAYLOAD_TOO_LARGE");
  });

  it("a 2 MiB body without a Content-Length (chunked) → 413, not buffered whole", async () => {
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"json":{"email":"'));
        for (let i = 0; i < 32; i++) controller.enqueue(new Uint8Array(64 * 1024).fill(0x61));
        controller.enqueue(new TextEncoder().encode('"}}'));
        controller.close();
      },
    });
    expectError(await postRaw("auth.login", stream), 413, "PAYLOAD_TOO_LARGE");
  });

  it("a body just under 1 MiB is read and validated (400, not 413)", async () => {
    const body = JSON.stringify({ json: { email: "a@example.com", password: "x".repeat(1024 * 1024 - 100) } });
    expect(Buffer.byteLength(body)).toBeLessThan(1024 * 1024);
    expectError(await postRaw("auth.login", body), 400, "BAD_REQUEST");
  });

  it("health.live still answers 200 afterwards", () => expectStillLive(server));
});

describe("bodies that are not JSON, or not the JSON the contract describes", () => {
  const malformed: Array<[string, string]> = [
    ["an empty body", ""],
    ["an unterminated object", '{"json":{"email":"a@example.com"'],
    ["two objects back to back", '{"json":{}}{"json":{}}'],
    ["a trailing comma", '{"json":{"email":"a@example.com",}}'],
    ["single quotes", "{'json':{'email':'a@example.com'}}"],
    ["a bare NaN", '{"json":NaN}'],
    ["trailing garbage", '{"json":{}} garbage'],
  ];

  it.each(malformed)("%s → 400 BAD_REQUEST", async (_name, body) => {
    expectError(await postRaw("auth.login", body), 400, "BAD_REQUEST");
  });

  it.each(["null", "5", '"a string"', "[]", "true"])("a body of %s (no envelope) → 400 BAD_REQUEST", async (body) => {
    expectError(await postRaw("auth.login", body), 400, "BAD_REQUEST");
  });

  // tRPC reads JSON only; anything else is 415 and must still be a clean envelope.
  const contentTypes: Array<[string, Record<string, string>]> = [
    ["no Content-Type", { "content-type": "" }],
    ["text/plain", { "content-type": "text/plain" }],
    ["application/xml", { "content-type": "application/xml" }],
    ["application/x-www-form-urlencoded", { "content-type": "application/x-www-form-urlencoded" }],
  ];

  it.each(contentTypes)("%s → 415 UNSUPPORTED_MEDIA_TYPE", async (_name, headers) => {
    const res = await postRaw("auth.login", JSON.stringify({ json: { email: "a@example.com", password: "long-enough-pw" } }), headers);
    expectError(res, 415, "UNSUPPORTED_MEDIA_TYPE");
  });

  it("every 415 body names the request id of its response", async () => {
    for (const [, headers] of contentTypes) {
      expectRequestIdInBody(await postRaw("auth.login", '{"json":{}}', { ...headers, "x-request-id": "ct-415-check" }));
    }
  });

  it("health.live still answers 200 afterwards", () => expectStillLive(server));
});

describe("deeply nested JSON", () => {
  const deepArray = (levels: number) => `${"[".repeat(levels)}${"]".repeat(levels)}`;
  const deepObject = (levels: number) => `${'{"a":'.repeat(levels)}1${"}".repeat(levels)}`;

  it.each(mutations.map((spec) => spec.path))("%s: 10 000 levels of arrays and of objects → 400", async (path) => {
    expectError(await postRaw(path, `{"json":${deepArray(10_000)}}`), 400, "BAD_REQUEST");
    expectError(await postRaw(path, `{"json":${deepObject(10_000)}}`), 400, "BAD_REQUEST");
  });

  it("100 000 levels (still under 1 MiB) → 400, the process survives", async () => {
    expectError(await postRaw("auth.login", `{"json":${deepArray(100_000)}}`), 400, "BAD_REQUEST");
    expectError(await postRaw("auth.login", `{"json":{"email":${deepObject(100_000)}}}`), 400, "BAD_REQUEST");
  });

  // Node caps the request head at 16 KB, so 5 000 levels (brackets left unescaped) is about the deepest a GET can carry.
  it("a query with 5 000 levels in ?input= → 400", async () => {
    const input = `${encodeURIComponent('{"json":')}${deepArray(5_000)}${encodeURIComponent("}")}`;
    const res = await send(`${server.trpcUrl}/users.list?input=${input}`, {
      headers: { authorization: `Bearer ${adminToken}` },
    });
    expectError(res, 400, "BAD_REQUEST");
  });

  // superjson walks `meta` recursively: a deep annotation tree overflows its stack, which must stay a 400.
  it("a superjson meta tree 20 000 levels deep → 400", async () => {
    const deepMeta = `${'["Date",{"a":'.repeat(20_000)}["Date"]${"}]".repeat(20_000)}`;
    expectError(await postRaw("auth.login", `{"json":{"a":1},"meta":{"values":${deepMeta}}}`), 400, "BAD_REQUEST");
  });

  it("health.live still answers 200 afterwards", () => expectStillLive(server));
});

describe("hostile superjson annotations", () => {
  const envelopes: Array<[string, unknown]> = [
    ["an annotation that is not a tree", { json: { email: "x" }, meta: { values: "zzz" } }],
    ["a bigint that is not a number", { json: { email: "x" }, meta: { values: { email: ["bigint"] } } }],
    ["an unknown registered class", { json: { email: "x" }, meta: { values: { email: [["class", "Evil"]] } } }],
    ["a Map built from a number", { json: { email: 1 }, meta: { values: { email: ["map"] } } }],
    ["a RegExp built from an object", { json: { email: { a: 1 } }, meta: { values: { email: ["regexp"] } } }],
    ["a __proto__ path in values", { json: { email: "x" }, meta: { values: { "__proto__.polluted": ["Date"] } } }],
    [
      "a __proto__ path in referentialEqualities",
      { json: { email: "x" }, meta: { referentialEqualities: { email: ["__proto__.polluted"] } } },
    ],
    [
      "a constructor.prototype path",
      { json: { email: "x" }, meta: { referentialEqualities: { "constructor.prototype.polluted": ["email"] } } },
    ],
    ["referentialEqualities that is an array", { json: { email: "x" }, meta: { referentialEqualities: ["email"] } }],
  ];

  it.each(envelopes)("%s → 400 BAD_REQUEST", async (_name, envelope) => {
    expectError(await postRaw("auth.login", JSON.stringify(envelope)), 400, "BAD_REQUEST");
  });

  // The server runs in this process, so a polluted prototype would show up right here.
  it("none of them polluted Object.prototype", () => {
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.hasOwn(Object.prototype, "polluted")).toBe(false);
  });

  it("health.live still answers 200 afterwards", () => expectStillLive(server));
});

describe("text encodings", () => {
  it("invalid UTF-8 bytes inside the email → 400 (register and login)", async () => {
    const email = bytes('{"json":{"email":"inv', [0xff, 0xfe, 0xc3], '@example.com","password":"long-enough-pw"}}');
    expectError(await postRaw("auth.register", email), 400, "BAD_REQUEST");
    expectError(await postRaw("auth.login", email), 400, "BAD_REQUEST");
  });

  it("invalid UTF-8 bytes inside a key → 400 (an unknown key)", async () => {
    const body = bytes('{"json":{"em', [0xc0, 0x80], 'ail":"a@example.com","password":"long-enough-pw"}}');
    expectError(await postRaw("auth.login", body), 400, "BAD_REQUEST");
  });

  it("invalid UTF-8 bytes between tokens → 400 (not JSON)", async () => {
    expectError(await postRaw("auth.login", bytes('{"json":', [0xff, 0xfe], "{}}")), 400, "BAD_REQUEST");
  });

  it("an overlong encoding of '\"' cannot close a string early", async () => {
    // 0xC0 0xA2 is a forbidden two-byte spelling of '"'; decoded strictly it is U+FFFD, never a quote.
    const body = bytes('{"json":{"email":"a', [0xc0, 0xa2], ',"isAdmin":true,"x":"@example.com","password":"long-enough-pw"}}');
    const res = await postRaw("auth.register", body);
    expectError(res, 400, "BAD_REQUEST");
  });

  // The replacement character is a valid name character; what must not happen is a 500 from the driver.
  it("invalid UTF-8 bytes inside a full name are stored as U+FFFD or refused, never a 500", async () => {
    const email = uniqueEmail("utf8");
    const body = bytes(`{"json":{"email":"${email}","password":"long-enough-pw","fullName":"Ren`, [0xe9, 0xff], 'e"}}');
    const res = await postRaw("auth.register", body);
    expectClean(res);
    expect([200, 400]).toContain(res.status);
    if (res.status === 200) expect(res.body.result.data.json.user.fullName).toBe("Ren\ufffd\ufffde");
  });

  it("lone UTF-16 surrogate escapes in a full name → never a 500", async () => {
    const res = await postRaw("users.updateMe", '{"json":{"fullName":"\\ud800 lone \\udfff"}}');
    expectClean(res);
    expect([200, 400]).toContain(res.status);
  });

  it("a UTF-8 byte order mark before the JSON → a clean 400 or the normal answer (401), never a 500", async () => {
    const res = await postRaw("auth.login", bytes([0xef, 0xbb, 0xbf], '{"json":{"email":"bom@example.com","password":"long-enough-pw"}}'));
    expectClean(res);
    expect([400, 401]).toContain(res.status);
  });

  it("health.live still answers 200 afterwards", () => expectStillLive(server));
});
