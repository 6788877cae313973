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
  for (let current = err, depth = 0; current && depth < 10; depth++) {
    if (typeof current !== "object") return undefined;
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
