import { TRPCError } from "@trpc/server";
import type { TRPC_ERROR_CODE_KEY } from "@trpc/server/rpc";

/**
 * Domain errors thrown by services. They know nothing of HTTP; `toTRPCError`
 * is the one table that maps them to tRPC codes.
 */
export class DomainError extends Error {
  /** The contract's `error.data.reason`, where one code has several causes. */
  readonly reason?: ErrorReason;
  constructor(
    readonly kind: DomainErrorKind,
    message: string,
    options?: ErrorOptions & { reason?: ErrorReason },
  ) {
    super(message, options);
    this.name = "DomainError";
    this.reason = options?.reason;
  }
}

/** Values of `error.data.reason` (contract, version 2). */
export type ErrorReason =
  | "INVALID_TOKEN"
  | "MFA_REQUIRED"
  | "EMAIL_NOT_VERIFIED"
  | "ACCOUNT_LOCKED"
  | "USE_RESTORE"
  | "SAME_PASSWORD"
  | "COMMON_PASSWORD"
  | "FRESH_SIGN_IN_REQUIRED";

export type DomainErrorKind =
  | "invalid_input"
  | "unauthenticated"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "rate_limited"
  | "unavailable"
  | "client_gone";

/** Thrown when a rate limit refuses a call; carries the wait for `Retry-After`. */
export class RateLimitedError extends DomainError {
  constructor(
    readonly retryAfterSeconds: number,
    options?: { reason?: ErrorReason; message?: string },
  ) {
    super("rate_limited", options?.message ?? `Too many requests, retry in ${retryAfterSeconds} s`, options);
    this.name = "RateLimitedError";
  }
}

const codeByKind: Record<DomainErrorKind, TRPC_ERROR_CODE_KEY> = {
  invalid_input: "BAD_REQUEST",
  unauthenticated: "UNAUTHORIZED",
  forbidden: "FORBIDDEN",
  not_found: "NOT_FOUND",
  conflict: "CONFLICT",
  rate_limited: "TOO_MANY_REQUESTS",
  unavailable: "SERVICE_UNAVAILABLE",
  // Nobody reads this answer; the code keeps it out of the error log (a 500 would be logged).
  client_gone: "CLIENT_CLOSED_REQUEST",
};

/** Maps a domain error to its tRPC error, keeping the original as `cause`. */
export function toTRPCError(error: DomainError): TRPCError {
  return new TRPCError({ code: codeByKind[error.kind], message: error.message, cause: error });
}

/** Queued work dropped because its client hung up: not a failure of the server, nor a wrong password. */
export const clientGone = () => new DomainError("client_gone", "The client closed the connection");
export const invalidCredentials = () => new DomainError("unauthenticated", "Invalid email or password");
export const notAuthenticated = (message = "Not authenticated") => new DomainError("unauthenticated", message);
export const adminRequired = () => new DomainError("forbidden", "Admin access required");
export const mfaRequired = () =>
  new DomainError("forbidden", "Admin access requires a sign-in with a second factor: set one up, then sign in again", {
    reason: "MFA_REQUIRED",
  });
export const invalidMfaChallenge = () =>
  new DomainError("unauthenticated", "Sign-in challenge invalid or expired: sign in again", { reason: "INVALID_TOKEN" });
export const invalidSecondFactor = () => new DomainError("unauthenticated", "Invalid or already used code");
export const userNotFound = () => new DomainError("not_found", "User not found");
export const emailTaken = () => new DomainError("conflict", "Email already registered");
export const accountLocked = (retryAfterSeconds: number) =>
  new RateLimitedError(retryAfterSeconds, {
    reason: "ACCOUNT_LOCKED",
    message: `Too many failed sign-ins for this account, retry in ${retryAfterSeconds} s or reset the password`,
  });
export const samePassword = () =>
  new DomainError("invalid_input", "The new password must differ from the current one", { reason: "SAME_PASSWORD" });
export const useRestore = () =>
  new DomainError("invalid_input", "A deleted user comes back through Restore, not by reactivating", { reason: "USE_RESTORE" });
export const sessionNotFound = () => new DomainError("not_found", "Session not found");
export const emailNotVerified = () =>
  new DomainError("forbidden", "Verify your email address before signing in; we can send the link again", {
    reason: "EMAIL_NOT_VERIFIED",
  });
