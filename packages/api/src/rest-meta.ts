import type { OpenApiMeta, OpenApiMethod } from "trpc-to-openapi";

import { LIMITS, type LimitName } from "./services/rate-limit";

/** Every REST route lives under this prefix (tRPC keeps /trpc). */
export const REST_PREFIX = "/api";

/** Who may call a procedure: matches the procedure builder it is made with (public, protected, admin). */
export type RestAccess = "public" | "user" | "admin";

interface RestRouteDoc {
  summary: string;
  description?: string;
  access: RestAccess;
  /** The budgets the procedure spends (its `rateLimited(...)` middlewares): 429 with Retry-After past them. */
  limits?: LimitName[];
  /** Error statuses beyond those every route of its access level can give. */
  errors?: Array<400 | 401 | 403 | 404 | 409>;
}

/** What each error status means on these routes; the body is always the Error schema. */
const ERROR_MEANINGS: Record<number, string> = {
  400: "Invalid input (data.zodError has the field errors), or a refused change",
  401: "Not authenticated: missing, invalid, expired or revoked token, or bad credentials",
  403: "Not allowed: not an admin, (with MFA_REQUIRED_FOR_ADMINS) not signed in with a second factor (reason MFA_REQUIRED), or (sign-in) an email not yet verified",
  404: "No such user (or, for a session route, no such live session of yours)",
  409: "Email already registered",
  429: "Rate limit hit: retry after Retry-After seconds",
  500: "Unexpected failure (the message is generic)",
  503: "A required dependency (the database) is unavailable: retry later",
};

/**
 * The REST route of one procedure, for `.meta()`. The path is relative to
 * REST_PREFIX, with `{field}` for an input field carried in the path; the tag
 * is the router's name, so the reference groups routes the way the router does.
 */
export function rest(method: OpenApiMethod, path: `/${string}`, doc: RestRouteDoc): OpenApiMeta {
  const notes = [
    doc.description,
    doc.access === "admin" ? "Admin only." : undefined,
    doc.limits?.length ? `Rate limit: ${doc.limits.map(describeLimit).join("; ")}.` : undefined,
  ].filter(Boolean);
  return {
    openapi: {
      method,
      path: `${REST_PREFIX}${path}`,
      summary: doc.summary,
      ...(notes.length ? { description: notes.join(" ") } : {}),
      tags: [path.split("/")[1] ?? "api"],
      protect: doc.access !== "public",
      errorResponses: errorResponses(doc),
    },
    access: doc.access,
  };
}

function errorResponses(doc: RestRouteDoc): Record<number, string> {
  const statuses = [
    ...(doc.errors ?? []),
    ...(doc.access === "public" ? [] : [401]),
    ...(doc.access === "admin" ? [403] : []),
    ...(doc.limits?.length ? [429] : []),
    500,
    503,
  ].sort((a, b) => a - b);
  return Object.fromEntries(statuses.map((status) => [status, ERROR_MEANINGS[status] ?? "Error"]));
}

/** "10 per 60 s per client IP", from the budget itself. */
function describeLimit(name: LimitName): string {
  const { tokens, windowSeconds } = LIMITS[name];
  const per = name.endsWith("User")
    ? "user"
    : name.endsWith("Email")
      ? "email address"
      : name.endsWith("Account")
        ? "account"
        : "client IP";
  return `${tokens} per ${windowSeconds} s per ${per}`;
}
