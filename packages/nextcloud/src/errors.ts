import { causeChain } from "@voiceassist/shared/cause-chain";

export const NEXTCLOUD_ERROR_KINDS = [
  "user_exists",
  "invalid_input",
  "password_policy",
  "forbidden",
  "not_found",
  "unauthorized",
  /** Brute-force protection or a rate limit (OCS or HTTP 429): back off for a long time. */
  "throttled",
  "precondition_failed",
  "maintenance",
  "server_error",
  "bad_response",
  "timeout",
  "network",
] as const;

export type NextcloudErrorKind = (typeof NEXTCLOUD_ERROR_KINDS)[number];

export interface NextcloudErrorInit {
  kind: NextcloudErrorKind;
  message: string;
  /** `ocs.meta.statuscode`, when the server answered with an OCS envelope. */
  statuscode?: number;
  httpStatus?: number;
  /** "METHOD /path" of the failed call (never carries credentials). */
  operation?: string;
  cause?: unknown;
}

// Only these can be transient; everything else is a definite answer from Nextcloud.
const RETRYABLE: ReadonlySet<NextcloudErrorKind> = new Set(["server_error", "timeout", "network"]);

export class NextcloudError extends Error {
  override readonly name = "NextcloudError";
  readonly kind: NextcloudErrorKind;
  readonly statuscode?: number;
  readonly httpStatus?: number;
  readonly operation?: string;

  constructor(init: NextcloudErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.kind = init.kind;
    if (init.statuscode !== undefined) this.statuscode = init.statuscode;
    if (init.httpStatus !== undefined) this.httpStatus = init.httpStatus;
    if (init.operation !== undefined) this.operation = init.operation;
  }

  /** True for failures worth retrying on an idempotent call. */
  get retryable(): boolean {
    return RETRYABLE.has(this.kind);
  }
}

export function isNextcloudError(value: unknown, kind?: NextcloudErrorKind): value is NextcloudError {
  return value instanceof NextcloudError && (kind === undefined || value.kind === kind);
}

export type Redactor = (text: string) => string;

/** Builds a function that blanks every secret (and its common encodings) out of a text. */
export function createRedactor(secrets: ReadonlyArray<string | undefined>): Redactor {
  const needles = new Set<string>();
  for (const secret of secrets) {
    if (!secret) continue;
    needles.add(secret);
    needles.add(encodeURIComponent(secret));
    needles.add(new URLSearchParams({ s: secret }).toString().slice(2));
    needles.add(Buffer.from(secret, "utf8").toString("base64"));
  }
  // Longest first so an encoding containing another needle is removed whole.
  const ordered = [...needles].filter((n) => n.length > 0).sort((a, b) => b.length - a.length);
  return (text) => ordered.reduce((acc, needle) => acc.split(needle).join("[redacted]"), text);
}

/**
 * Copies only name, code and message (redacted) of an error chain into fresh Errors, so
 * transport objects (ofetch options with the Authorization header, requests) never ride along.
 */
export function sanitizeCause(error: unknown, redact: Redactor, depth = 0): Error | undefined {
  if (depth > 4 || error === undefined || error === null) return undefined;
  const source = error as { name?: unknown; message?: unknown; code?: unknown; cause?: unknown };
  const name = typeof source.name === "string" ? source.name : "Error";
  const message = typeof source.message === "string" ? source.message : String(error);
  const inner = sanitizeCause(source.cause, redact, depth + 1);
  const copy = new Error(redact(message), inner ? { cause: inner } : undefined);
  copy.name = redact(name);
  if (typeof source.code === "string" || typeof source.code === "number") {
    Object.assign(copy, { code: source.code });
  }
  // Our own frames say nothing about the remote failure and could only add noise.
  copy.stack = `${copy.name}: ${copy.message}`;
  return copy;
}

/** The innermost `code` of an error chain, e.g. ECONNREFUSED from undici's cause. */
export function innermostCode(error: unknown): string | undefined {
  let found: string | undefined;
  for (const { code } of causeChain(error, 6)) if (typeof code === "string") found = code;
  return found;
}
