import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startTestServer, type TestServer } from "@voiceassist/testing/server";
import { PASSWORD, post, signUp } from "@voiceassist/testing/users";

/** Collects the server's JSON log lines. */
function logSink() {
  const lines: Record<string, unknown>[] = [];
  let raw = "";
  return {
    lines,
    raw: () => raw,
    destination: {
      write(chunk: string) {
        raw += chunk;
        for (const line of chunk.split("\n").filter(Boolean)) lines.push(JSON.parse(line));
      },
    },
  };
}

describe("logs and internal errors", () => {
  let server: TestServer;
  const sink = logSink();
  beforeAll(async () => {
    server = await startTestServer({ env: { LOG_LEVEL: "info" }, logDestination: sink.destination });
  });
  afterAll(() => server?.close());

  it("writes one line per request with method, path, status, duration and the request id", async () => {
    await fetch(`${server.trpcUrl}/health.live?input=%7B%7D`, { headers: { "x-request-id": "log-line-1" } });
    const line = sink.lines.filter((l) => l.reqId === "log-line-1");
    expect(line).toHaveLength(1);
    expect(line[0]).toMatchObject({ method: "GET", path: "/trpc/health.live", status: 200, msg: "request" });
    expect(typeof line[0]!.durationMs).toBe("number");
    expect(JSON.stringify(line[0])).not.toContain("input=");
  });

  it("never logs passwords, tokens or hashes", async () => {
    const user = await signUp(server);
    await user.client.users.changePassword.mutate({ currentPassword: PASSWORD, newPassword: "brand-new-password" });
    await post(server, "auth.refresh", { refreshToken: user.tokens.refreshToken });
    const raw = sink.raw();
    for (const secret of [PASSWORD, "brand-new-password", user.tokens.accessToken, user.tokens.refreshToken, "$2b$"]) {
      expect(raw).not.toContain(secret);
    }
  });

  it("answers unexpected failures with a generic 500 (no driver text) and logs them with the request id", async () => {
    const user = await signUp(server);
    await server.database.handle.close(); // every query now fails inside the driver
    const response = await fetch(`${server.trpcUrl}/auth.me`, {
      headers: { authorization: `Bearer ${user.tokens.accessToken}`, "x-request-id": "boom-1" },
    });
    expect(response.status).toBe(500);
    const text = await response.text();
    const body = JSON.parse(text);
    expect(body.error.json.message).toBe("Internal server error");
    expect(body.error.json.data).toMatchObject({ code: "INTERNAL_SERVER_ERROR", requestId: "boom-1" });
    expect(text).not.toMatch(/stack|select|closed|ended|sessions/i);
    const errorLine = sink.lines.find((l) => l.reqId === "boom-1" && l.level === 50);
    expect(errorLine).toBeDefined();
    expect(JSON.stringify(errorLine)).not.toContain(user.tokens.accessToken);
  });
});
