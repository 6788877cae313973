import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createLogger } from "../src/logger";
import { startTestServer, type TestServer } from "@voiceassist/testing/server";
import { PASSWORD, post, randomIp, uniqueEmail } from "@voiceassist/testing/users";

/**
 * F7: a failing statement must not put its parameters in the log. Drizzle's
 * DrizzleQueryError message is `Failed query: <sql>\nparams: <values>`, and
 * for a registration the values are the email and the bcrypt hash.
 */

function logSink() {
  let raw = "";
  const lines: Record<string, unknown>[] = [];
  return {
    raw: () => raw,
    lines,
    destination: {
      write(chunk: string) {
        raw += chunk;
        for (const line of chunk.split("\n").filter(Boolean)) lines.push(JSON.parse(line));
      },
    },
  };
}

describe("a failing statement in the log (both drivers)", () => {
  let server: TestServer;
  const sink = logSink();

  beforeAll(async () => {
    server = await startTestServer({ env: { LOG_LEVEL: "info" }, logDestination: sink.destination });
    // Deterministic failure inside the INSERT: a trigger that raises, on either driver.
    const db = server.database.handle.db;
    await db.execute(
      sql.raw(`create or replace function va_test_refuse_users() returns trigger language plpgsql as $$
      begin raise exception 'simulated failure' using errcode = 'P0001'; end $$`),
    );
    await db.execute(
      sql.raw(`create trigger va_test_refuse_users before insert on users for each row execute function va_test_refuse_users()`),
    );
  });
  afterAll(() => server?.close());

  it("auth.register whose INSERT fails: generic 500, and the log has no email, hash or params", async () => {
    const email = uniqueEmail("f7");
    const { response, body } = await post(
      server,
      "auth.register",
      { email, password: PASSWORD },
      {
        "x-forwarded-for": randomIp(),
        "x-request-id": "f7-register",
      },
    );
    expect(response.status).toBe(500);
    expect(body.error.json.message).toBe("Internal server error");
    expect(JSON.stringify(body)).not.toMatch(/params|\$2[aby]\$|insert/i);
    expect(JSON.stringify(body)).not.toContain(email);

    const errorLine = sink.lines.find((l) => l.reqId === "f7-register" && l.level === 50);
    expect(errorLine, "the failure is still logged").toBeDefined();
    // What an operator needs survives: that a query failed, and the driver's SQLSTATE and message.
    expect(JSON.stringify(errorLine)).toContain("Failed query");
    expect(JSON.stringify(errorLine)).toContain("P0001");
    expect(JSON.stringify(errorLine)).toContain("simulated failure");

    const raw = sink.raw();
    expect(raw).not.toContain(email);
    expect(raw).not.toMatch(/\$2[aby]\$/);
    expect(raw).not.toContain("params");
    expect(raw).not.toContain(PASSWORD);
  });
});

describe("the err serializer", () => {
  it("drops Drizzle's params from message and stack, at any depth of the cause chain", () => {
    const sink = logSink();
    const logger = createLogger("info", sink.destination);
    const driver = Object.assign(new Error("duplicate key value violates unique constraint"), {
      code: "23505",
      detail: "Key (email)=(leak@example.com)",
    });
    const failed = new Error(
      'Failed query: insert into "users" ("email", "hashed_password") values ($1, $2)\nparams: leak@example.com,$2b$12$abcdefghijklmnopqrstuv',
      { cause: driver },
    );
    const wrapped = new Error(failed.message, { cause: failed }); // as TRPCError copies its cause's message
    logger.error({ err: wrapped }, "procedure failed");
    const raw = sink.raw();
    expect(raw).not.toContain("leak@example.com");
    expect(raw).not.toContain("$2b$");
    expect(raw).not.toContain("params");
    const line = sink.lines[0] as { err: { message: string; stack: string; cause: { cause: { code: string; message: string } } } };
    expect(line.err.message).toBe("Failed query");
    expect(line.err.stack).toMatch(/^Error: Failed query\n {4}at /);
    expect(line.err.cause.cause).toMatchObject({ code: "23505", message: "duplicate key value violates unique constraint" });
  });
});
