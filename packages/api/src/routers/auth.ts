import { z } from "zod";

import { emailSchema, existingPasswordSchema, fullNameSchema, passwordSchema, uuidSchema } from "@voiceassist/shared";

import { rest } from "../rest-meta";
import { publicUserSchema, registeredSchema, sessionSchema, successSchema, tokenPairSchema } from "../schemas";
import { loginUser, logoutUser, refreshTokens, registerUser } from "../services/auth";
import { listOwnSessions, revokeOwnSession } from "../services/session-views";
import { protectedProcedure, publicProcedure, rateLimited, router } from "../trpc";

export const authRouter = router({
  register: publicProcedure
    .meta(rest("POST", "/auth/register", { summary: "Create an account", access: "public", limits: ["register"], errors: [400, 409] }))
    .output(registeredSchema)
    .use(rateLimited("register"))
    .input(z.strictObject({ email: emailSchema, password: passwordSchema, fullName: fullNameSchema.optional() }))
    .mutation(async ({ ctx, input }) => ({ user: await registerUser(ctx.deps, input, ctx.request) })),

  login: publicProcedure
    .meta(rest("POST", "/auth/login", { summary: "Sign in", access: "public", limits: ["login"], errors: [400, 401] }))
    .output(tokenPairSchema)
    .use(rateLimited("login"))
    .input(z.strictObject({ email: emailSchema, password: existingPasswordSchema }))
    .mutation(({ ctx, input }) => loginUser(ctx.deps, input, ctx.request)),

  refresh: publicProcedure
    .meta(
      rest("POST", "/auth/refresh", {
        summary: "Rotate the refresh token for a new pair",
        access: "public",
        limits: ["refresh"],
        errors: [400, 401],
      }),
    )
    .output(tokenPairSchema)
    .use(rateLimited("refresh"))
    .input(z.strictObject({ refreshToken: z.string().min(1).max(4096) }))
    .mutation(({ ctx, input }) => refreshTokens(ctx.deps, input, ctx.request)),

  logout: protectedProcedure
    .meta(rest("POST", "/auth/logout", { summary: "Sign out (this session, or all of them)", access: "user", errors: [400] }))
    .output(successSchema)
    .input(z.strictObject({ allSessions: z.boolean().optional() }).optional())
    .mutation(async ({ ctx, input }) => {
      await logoutUser(ctx.deps, ctx.actor, { allSessions: input?.allSessions ?? false }, ctx.request);
      return { success: true as const };
    }),

  me: protectedProcedure
    .meta(rest("GET", "/auth/me", { summary: "The signed-in user", access: "user" }))
    .output(publicUserSchema)
    .query(({ ctx }) => ctx.user),

  sessions: protectedProcedure
    .meta(rest("GET", "/auth/sessions", { summary: "Your live sessions, newest first", access: "user" }))
    .output(z.array(sessionSchema))
    .query(({ ctx }) => listOwnSessions(ctx.deps, ctx.actor)),

  revokeSession: protectedProcedure
    .meta(
      rest("POST", "/auth/sessions/revoke", {
        summary: "End one of your sessions",
        description: "Another user's session id, or one already ended, is 404.",
        access: "user",
        errors: [400, 404],
      }),
    )
    .output(successSchema)
    .input(z.strictObject({ sessionId: uuidSchema }))
    .mutation(async ({ ctx, input }) => {
      await revokeOwnSession(ctx.deps, ctx.actor, input, ctx.request);
      return { success: true as const };
    }),
});
