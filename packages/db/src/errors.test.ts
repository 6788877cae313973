import { describe, expect, it } from "vitest";

import { isDatabaseUnavailable, isUniqueViolation, safeErrorMessage } from "./errors";

/** Drizzle's wrapper, as drizzle-orm builds it: the params are in the message. */
const failedQuery = (cause: unknown) =>
  new Error('Failed query: insert into "users" ("email", "hashed_password") values ($1, $2)\nparams: a@example.com,$2b$12$hash', { cause });
const coded = (code: string, message = "driver error") => Object.assign(new Error(message), { code });

describe("isDatabaseUnavailable", () => {
  it("is true for a statement timeout, a shutdown and connection failures, anywhere in the cause chain", () => {
    for (const code of ["57014", "57P01", "57P03", "53300", "08006", "ECONNREFUSED", "CONNECT_TIMEOUT", "CONNECTION_CLOSED"]) {
      expect(isDatabaseUnavailable(failedQuery(coded(code))), code).toBe(true);
    }
    expect(isDatabaseUnavailable(new AggregateError([coded("ECONNREFUSED"), coded("ECONNREFUSED")]))).toBe(true);
  });

  it("is false for errors that are the call's or the code's fault, and for our own closed pool", () => {
    for (const code of ["23505", "22P02", "42P01", "P0001", "CONNECTION_ENDED", "CONNECTION_DESTROYED"]) {
      expect(isDatabaseUnavailable(failedQuery(coded(code))), code).toBe(false);
    }
    expect(isDatabaseUnavailable(new Error("Failed query: select 1"))).toBe(false);
    expect(isDatabaseUnavailable(null)).toBe(false);
    expect(isUniqueViolation(failedQuery(coded("23505")))).toBe(true);
  });
});

describe("safeErrorMessage", () => {
  it("never returns Drizzle's params: the cause's SQLSTATE and message instead", () => {
    const message = safeErrorMessage(failedQuery(coded("23505", "duplicate key value violates unique constraint")));
    expect(message).toBe("Failed query: 23505: duplicate key value violates unique constraint");
    expect(message).not.toMatch(/params|example\.com|\$2b\$/);
    expect(safeErrorMessage(new Error("something else"))).toBe("something else");
  });
});
