import { createHash } from "node:crypto";

import { getTRPCErrorFromUnknown, initTRPC, TRPCError } from "@trpc/server";
import type { OpenApiMeta } from "trpc-to-openapi";
import { z, ZodError } from "zod";

import { isDatabaseUnavailable } from "@voiceassist/db";
import { GENERIC_SERVER_ERROR_MESSAGE, transformer } from "@voiceassist/shared";

import type { Context } from "./context";
import { adminRequired, DomainError, mfaRequired, notAuthenticated, RateLimitedError, toTRPCError } from "./errors";
import { requestIdOf } from "./error-request-ids";
import type { Actor } from "./services/actor";
import { authenticateBearer } from "./services/bearer";
import { spendLimit, type LimitName } from "./services/rate-limit";
import { NotReadyError } from "./services/readiness";

// OpenApiMeta: procedures carry their REST route (`.meta({ openapi })`), see rest-meta.ts.
const t = initTRPC
  .context<Context>()
  .meta<OpenApiMeta>()
  .create({
    transformer,
    // Never put stack traces in error bodies, whatever NODE_ENV says.
    isDev: false,
    errorFormatter({ shape, error, ctx }) {
      const cause = error.cause;
      return {
        ...shape,
        message: publicMessage(error, shape.message),
        data: {
          code: shape.data.code,
          httpStatus: shape.data.httpStatus,
          path: shape.data.path,
          requestId: ctx?.request.requestId ?? requestIdOf(error),
          zodError: cause instanceof ZodError ? z.flattenError(cause) : null,
          ...(cause instanceof NotReadyError ? { checks: cause.checks } : {}),
          ...(cause instanceof RateLimitedError ? { retryAfterSeconds: cause.retryAfterSeconds } : {}),
          ...(cause instanceof DomainError && cause.reason ? { reason: cause.reason } : {}),
        },
      };
    },
  });

/**
 * What a refusal may say. A 500 says nothing of its cause; unreadable JSON
 * says only that, because V8's parse errors quote the text they read (a
 * password in a broken login body, a query parameter).
 */
function publicMessage(error: TRPCError, message: string): string {
  if (error.code === "INTERNAL_SERVER_ERROR") return GENERIC_SERVER_ERROR_MESSAGE;
  if (error.cause instanceof SyntaxError) return INVALID_JSON_MESSAGE;
  return message;
}

const INVALID_JSON_MESSAGE = "The input is not valid JSON";

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/**
 * What a failed call's cause becomes: domain errors from services get their
 * tRPC codes (one table, in errors.ts), and a stalled or unreachable database
 * is a clear, retryable 503, not a 500. Undefined: the error stands as it is.
 */
function translatedFailure(cause: unknown): TRPCError | undefined {
  if (cause instanceof DomainError) return toTRPCError(cause);
  if (isDatabaseUnavailable(cause)) {
    return new TRPCError({ code: "SERVICE_UNAVAILABLE", message: "Database unavailable, try again", cause });
  }
  return undefined;
}

/** A middleware's result, its failure translated; tRPC turns what a middleware throws into a failed result the same way. */
async function translated<R extends { ok: true } | { ok: false; error: TRPCError }>(run: () => Promise<R>): Promise<R> {
  let result: R | { ok: false; error: TRPCError };
  try {
    result = await run();
  } catch (cause) {
    result = { ok: false, error: getTRPCErrorFromUnknown(cause) };
  }
  if (result.ok) return result;
  throw translatedFailure(result.error.cause) ?? result.error;
}

export const publicProcedure = t.procedure.use(({ next }) => translated(() => next()));

/**
 * Authenticates the bearer token against the database (one round trip); adds
 * ctx.user (as the database has them now) and ctx.actor, what services take.
 */
export const protectedProcedure = t.procedure.use(({ ctx, next }) =>
  // publicProcedure's translation and the authentication in one middleware: tRPC copies a call's
  // options twice for every middleware, a tenth of a protected call's CPU (bench/README.md).
  translated(async () => {
    const caller = await authenticateBearer(ctx.deps, ctx.request.authorization);
    if (!caller) throw notAuthenticated();
    const actor: Actor = { userId: caller.session.user.id, sessionId: caller.claims.sid };
    return next({ ctx: { user: caller.session.user, actor, sessionMfa: caller.session.mfa } });
  }),
);

/**
 * Authorises from the database's current isAdmin, never from the token's role
 * claim; with MFA_REQUIRED_FOR_ADMINS, only from a session that signed in
 * with a second factor.
 */
export const adminProcedure = protectedProcedure.use(({ ctx, next }) => {
  if (!ctx.user.isAdmin) throw adminRequired();
  if (ctx.deps.mfa.requiredForAdmins && !ctx.sessionMfa) throw mfaRequired();
  return next();
});

/**
 * Spends one unit of `name`'s budget for every call, batched or not, keyed by
 * the client IP, after protectedProcedure the signed-in user, or after
 * `.input()` the input's `email` (hashed). A refusal is audited once per
 * limit, key and window, not once per refused call.
 */
export const rateLimited = (name: LimitName, by: "ip" | "user" | "email" = "ip") =>
  t.middleware(async ({ ctx, next, path, input }) => {
    const key =
      by === "user" ? signedInUserId(ctx) : by === "email" ? inputEmailKey(input) : (ctx.request.limitKey ?? ctx.request.ip ?? "unknown");
    await spendLimit(ctx.deps, ctx.request, name, key, path);
    return next();
  });

/** A per-email budget is keyed by a hash: limiter keys (and Redis) never hold the address. */
function inputEmailKey(input: unknown): string {
  const email = (input as { email?: unknown } | undefined)?.email;
  if (typeof email !== "string") throw new Error("a per-email limit must come after an input with an email");
  return `email:${createHash("sha256").update(email.toLowerCase()).digest("base64url")}`;
}

function signedInUserId(ctx: Context): string {
  const user = (ctx as Context & { user?: { id: string } }).user;
  if (!user) throw new Error("a per-user limit must come after protectedProcedure");
  return user.id;
}
