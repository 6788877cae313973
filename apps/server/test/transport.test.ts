import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { get, post } from "@voiceassist/testing/users";
import { startTestServer, type TestServer } from "@voiceassist/testing/server";
import { testEnv } from "@voiceassist/testing/env";

describe("HTTP transport", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.close());

  it("health.live answers through the typed client with real Dates", async () => {
    const live = await server.client().health.live.query();
    expect(live.status).toBe("healthy");
    expect(live.timestamp).toBeInstanceOf(Date);
    expect(typeof live.version).toBe("string");
    expect(live.uptimeSeconds).toBeGreaterThanOrEqual(0);
  });

  it("health.ready reports postgres up and unset services disabled", async () => {
    const ready = await server.client().health.ready.query();
    expect(ready.status).toBe("ready");
    expect(ready.checks.postgres.status).toBe("up");
    expect(ready.checks.redis.status).toBe(testEnv.redisUrl ? "up" : "disabled");
    expect(ready.checks.qdrant).toEqual({ status: "disabled" });
    expect(ready.checks.nextcloud).toEqual({ status: "disabled" });
    expect(ready.checks.smtp).toEqual({ status: "disabled" });
  });

  it("echoes a well-formed x-request-id and replaces a malformed one", async () => {
    const ok = await get(server, "health.live", { "x-request-id": "abc.DEF_123-x" });
    expect(ok.response.headers.get("x-request-id")).toBe("abc.DEF_123-x");
    for (const bad of ["has space", "a".repeat(129), "semi;colon"]) {
      const res = await get(server, "health.live", { "x-request-id": bad });
      expect(res.response.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it("puts the request id in error bodies", async () => {
    const { response, body } = await post(server, "auth.login", { email: "nope" }, { "x-request-id": "req-42" });
    expect(response.status).toBe(400);
    expect(body.error.json.data.requestId).toBe("req-42");
  });

  it("validation errors are BAD_REQUEST with flattened zod issues", async () => {
    const { response, body } = await post(server, "auth.register", { email: "not-an-email", password: "short" });
    expect(response.status).toBe(400);
    expect(body.error.json.data.code).toBe("BAD_REQUEST");
    expect(Object.keys(body.error.json.data.zodError.fieldErrors).sort()).toEqual(["email", "password"]);
  });

  it("rejects unknown keys (inputs are strict)", async () => {
    const { response, body } = await post(server, "auth.register", {
      email: "strict@example.com",
      password: "long-enough-pw",
      isAdmin: true,
    });
    expect(response.status).toBe(400);
    expect(JSON.stringify(body.error.json.data.zodError)).toContain("isAdmin");
  });

  it("unknown procedure is NOT_FOUND", async () => {
    const { response, body } = await get(server, "nope.nothing");
    expect(response.status).toBe(404);
    expect(body.error.json.data.code).toBe("NOT_FOUND");
  });

  it("refuses bodies over 1 MiB with PAYLOAD_TOO_LARGE and no stack", async () => {
    const response = await fetch(`${server.trpcUrl}/auth.login`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-request-id": "big-1" },
      body: JSON.stringify({ json: { email: "a@b.co", password: "x".repeat(1024 * 1024) } }),
    });
    expect(response.status).toBe(413);
    const text = await response.text();
    const body = JSON.parse(text);
    expect(body.error.json.data).toMatchObject({ code: "PAYLOAD_TOO_LARGE", requestId: "big-1" });
    expect(text).not.toMatch(/stack|at \//);
  });

  it("malformed JSON is a 400 in the tRPC envelope", async () => {
    const response = await fetch(`${server.trpcUrl}/auth.login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{not json",
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as any;
    expect(body.error.json.data.code).toBe("BAD_REQUEST");
  });

  it("an unreadable body is not echoed back (V8's JSON errors quote the text they read)", async () => {
    const secret = "hunter2-correct-horse";
    const answers = [
      await fetch(`${server.trpcUrl}/auth.login`, { method: "POST", headers: { "content-type": "application/json" }, body: secret }),
      await fetch(`${server.trpcUrl}/auth.login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: `{"json":${secret}}`,
      }),
    ];
    for (const response of answers) {
      expect(response.status).toBe(400);
      const text = await response.text();
      expect(text).not.toContain("hunter2");
      expect(text).toContain("The input is not valid JSON");
    }
  });

  it("batches many calls in one request and refuses batches over 50", async () => {
    const paths = Array.from({ length: 3 }, () => "health.live").join(",");
    const ok = await fetch(`${server.trpcUrl}/${paths}?batch=1&input=${encodeURIComponent("{}")}`);
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as unknown[]).length).toBe(3);

    const tooMany = Array.from({ length: 51 }, () => "health.live").join(",");
    const refused = await fetch(`${server.trpcUrl}/${tooMany}?batch=1&input=${encodeURIComponent("{}")}`, {
      headers: { "x-request-id": "batch-51" },
    });
    expect(refused.status).toBe(400);
    // Refused before tRPC built a context, and still named by its request id.
    const body = (await refused.json()) as { error: { json: { data: { requestId: string } } } };
    expect(body.error.json.data.requestId).toBe("batch-51");
  });

  it("the typed client batches concurrent calls into one request", async () => {
    const client = server.client();
    const results = await Promise.all([client.health.live.query(), client.health.live.query()]);
    expect(results).toHaveLength(2);
  });

  describe("CORS", () => {
    it("echoes an allowed origin with credentials, never *", async () => {
      const response = await fetch(`${server.trpcUrl}/health.live`, { headers: { origin: "http://localhost:3000" } });
      expect(response.headers.get("access-control-allow-origin")).toBe("http://localhost:3000");
      expect(response.headers.get("access-control-allow-credentials")).toBe("true");
    });

    it("gives nothing to an unlisted origin", async () => {
      const response = await fetch(`${server.trpcUrl}/health.live`, { headers: { origin: "http://evil.example" } });
      expect(response.headers.get("access-control-allow-origin")).toBeNull();
    });

    it("answers preflight for allowed origins", async () => {
      const response = await fetch(`${server.trpcUrl}/auth.login`, {
        method: "OPTIONS",
        headers: {
          origin: "http://localhost:3001",
          "access-control-request-method": "POST",
          "access-control-request-headers": "content-type,authorization",
        },
      });
      expect(response.status).toBeLessThan(300);
      expect(response.headers.get("access-control-allow-origin")).toBe("http://localhost:3001");
      expect(response.headers.get("access-control-allow-methods")).toContain("POST");
      expect(response.headers.get("x-request-id")).toBeTruthy();
    });
  });
});
