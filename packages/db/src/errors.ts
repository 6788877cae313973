import { causeChain } from "@voiceassist/shared/cause-chain";

export { causeChain };

/** SQLSTATE of a unique constraint violation. */
const UNIQUE_VIOLATION = "23505";

/**
 * True when `err`, or anything in its cause chain, is a unique violation.
 * Matches the SQLSTATE both drivers expose as `code`, never message text.
 */
export function isUniqueViolation(err: unknown): boolean {
  return findSqlState(err) === UNIQUE_VIOLATION;
}

function findSqlState(err: unknown): string | undefined {
  for (const { code } of causeChain(err)) {
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

/**
 * SQLSTATEs that mean "the database cannot serve this now", not "this call is wrong":
 * 57014 query_canceled (statement_timeout, pg_cancel_backend), 57P01–57P03 shutdown /
 * starting up, 53300 too_many_connections, and class 08 (connection exceptions).
 */
const UNAVAILABLE_SQLSTATE = /^(57014|57P0[1-3]|53300|08[0-9A-Z]{3})$/;

/**
 * Driver codes for a database that cannot be reached: postgres.js's connect
 * timeout and server-closed socket, and the socket errors. Not CONNECTION_ENDED
 * / CONNECTION_DESTROYED: those mean this process closed its own pool.
 */
const UNAVAILABLE_DRIVER_CODES = new Set([
  "CONNECT_TIMEOUT",
  "CONNECTION_CLOSED",
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EPIPE",
]);

/**
 * True when `err` (or anything in its cause chain) says the database is
 * unreachable, stalled past its statement timeout, or restarting: a retryable
 * 503, not a bug. Matches codes, never message text.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  for (const link of causeChain(err)) {
    const code = link.code;
    if (typeof code === "string" && (UNAVAILABLE_SQLSTATE.test(code) || UNAVAILABLE_DRIVER_CODES.has(code))) return true;
    // AggregateError (a host with several addresses, all refused) carries its causes in `errors`.
    const errors = (link as { errors?: unknown }).errors;
    if (Array.isArray(errors) && errors.some((inner) => isDatabaseUnavailable(inner))) return true;
  }
  return false;
}

/** Drizzle's DrizzleQueryError message: `Failed query: <sql>\nparams: <values>`. */
const FAILED_QUERY = /^Failed query: /;

/**
 * An error's message with query parameters removed, safe for logs and stderr:
 * Drizzle puts every bound value (password hashes, emails, tokens) in
 * `Failed query: … params: …`. Such a message becomes "Failed query" plus the
 * driver cause's SQLSTATE and message; anything else is cut before "params:".
 */
export function safeErrorMessage(err: unknown): string {
  if (!(err instanceof Error)) return typeof err === "string" ? stripParams(err) : "unknown error";
  if (!FAILED_QUERY.test(err.message)) return stripParams(err.message);
  const cause = err.cause;
  const code = findSqlState(cause) ?? (cause as { code?: unknown } | undefined)?.code;
  const causeMessage = cause instanceof Error ? safeErrorMessage(cause) : undefined;
  return ["Failed query", typeof code === "string" ? code : undefined, causeMessage].filter(Boolean).join(": ");
}

/** True for Drizzle's query-failure wrapper (by name or message, whichever Drizzle version). */
export function isFailedQueryError(err: unknown): err is Error & { query?: unknown; params?: unknown } {
  return err instanceof Error && (err.name === "DrizzleQueryError" || FAILED_QUERY.test(err.message));
}

function stripParams(message: string): string {
  const at = message.search(/\n?params: /);
  return at === -1 ? message : message.slice(0, at);
}
