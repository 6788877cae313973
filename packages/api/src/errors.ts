import { TRPCError } from "@trpc/server";
import type { TRPC_ERROR_CODE_KEY } from "@trpc/server/rpc";

/**
 * Domain errors thrown by services. They know nothing of HTTP; `toTRPCError`
 * is the one table that maps them to tRPC codes.
 */
export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = "DomainError";
  }
}

export type DomainErrorKind =
  | "invalid_input"
  | "unauthenticated"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "rate_limited"
  | "unavailable";

/** Thrown when a rate limit refuses a call; carries the wait for `Retry-After`. */
export class RateLimitedError extends DomainError {
  constructor(readonly retryAfterSeconds: number) {
    super("rate_limited", `Too many requests, retry in ${retryAfterSeconds} s`);
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
};

/** Maps a domain error to its tRPC error, keeping the original as `cause`. */
export function toTRPCError(error: DomainError): TRPCError {
  return new TRPCError({ code: codeByKind[error.kind], message: error.message, cause: error });
}

export const invalidCredentials = () => new DomainError("unauthenticated", "Invalid email or password");
export const notAuthenticated = (message = "Not authenticated") => new DomainError("unauthenticated", message);
export const userNotFound = () => new DomainError("not_found", "User not found");
export const emailTaken = () => new DomainError("conflict", "Email already registered");
