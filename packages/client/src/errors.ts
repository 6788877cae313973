import { TRPCClientError } from "@trpc/client";

import type { AppRouter } from "@voiceassist/api";

export type ApiError = TRPCClientError<AppRouter>;

/** True for errors that came from (or on the way to) the API, typed with its error shape. */
export function isApiError(error: unknown): error is ApiError {
  return error instanceof TRPCClientError;
}

/** The tRPC code (`UNAUTHORIZED`, `CONFLICT`, …), or null for network failures and non-API errors. */
export function errorCode(error: unknown): string | null {
  return isApiError(error) ? (error.data?.code ?? null) : null;
}

/** The contract's `error.data.reason` (`INVALID_TOKEN`, `EMAIL_NOT_VERIFIED`, …), or null. */
export function errorReason(error: unknown): string | null {
  if (!isApiError(error)) return null;
  const reason: unknown = (error.data as { reason?: unknown } | undefined)?.reason;
  return typeof reason === "string" ? reason : null;
}

/** Per-field messages from the server's zod validation, e.g. `{ email: ["Invalid email"] }`. */
export function fieldErrors(error: unknown): Record<string, string[]> {
  if (!isApiError(error)) return {};
  const fields: Record<string, string[] | undefined> = error.data?.zodError?.fieldErrors ?? {};
  return Object.fromEntries(Object.entries(fields).filter((entry): entry is [string, string[]] => Boolean(entry[1]?.length)));
}

/** Seconds to wait after TOO_MANY_REQUESTS: the error body, else the Retry-After header. */
export function retryAfterSeconds(error: unknown): number | null {
  if (!isApiError(error) || error.data?.code !== "TOO_MANY_REQUESTS") return null;
  const fromBody = error.data.retryAfterSeconds;
  if (typeof fromBody === "number") return fromBody;
  const response = error.meta?.response;
  const header = response instanceof Response ? response.headers.get("retry-after") : null;
  return header && /^\d+$/.test(header) ? Number(header) : null;
}

/** One sentence a person can act on; field details are left to `fieldErrors`. */
export function errorMessage(error: unknown): string {
  if (!isApiError(error)) return "Something went wrong. Please try again.";
  const code = error.data?.code;
  if (!code) return "Cannot reach the server. Check your connection and try again.";
  if (code === "TOO_MANY_REQUESTS") {
    const wait = retryAfterSeconds(error);
    return wait === null ? "Too many attempts. Please wait and try again." : `Too many attempts. Try again in ${formatWait(wait)}.`;
  }
  if (code === "BAD_REQUEST" && error.data?.zodError) {
    const formErrors = error.data.zodError.formErrors;
    return formErrors.length ? formErrors.join(" ") : "Please correct the highlighted fields.";
  }
  if (code === "INTERNAL_SERVER_ERROR") return "The server had a problem. Please try again.";
  return error.message;
}

function formatWait(seconds: number): string {
  if (seconds < 90) return `${seconds} second${seconds === 1 ? "" : "s"}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minutes`;
}
