import { z } from "zod";

import { emailSchema, existingPasswordSchema, fullNameSchema, passwordSchema } from "@voiceassist/shared";

import { loginUser, logoutUser, refreshTokens, registerUser } from "../services/auth";
import { protectedProcedure, publicProcedure, rateLimited, router } from "../trpc";

export const authRouter = router({
  register: publicProcedure
    .use(rateLimited("register"))
    .input(z.strictObject({ email: emailSchema, password: passwordSchema, fullName: fullNameSchema.optional() }))
    .mutation(async ({ ctx, input }) => ({ user: await registerUser(ctx, input, ctx.request) })),

  login: publicProcedure
    .use(rateLimited("login"))
    .input(z.strictObject({ email: emailSchema, password: existingPasswordSchema }))
    .mutation(({ ctx, input }) => loginUser(ctx, input, ctx.request)),

  refresh: publicProcedure
    .use(rateLimited("refresh"))
    .input(z.strictObject({ refreshToken: z.string().min(1).max(4096) }))
    .mutation(({ ctx, input }) => refreshTokens(ctx, input.refreshToken, ctx.request)),

  logout: protectedProcedure
    .input(z.strictObject({ allSessions: z.boolean().optional() }).optional())
    .mutation(async ({ ctx, input }) => {
      await logoutUser(ctx.db, { userId: ctx.user.id, sessionId: ctx.sessionId }, input?.allSessions ?? false, ctx.request);
      return { success: true as const };
    }),

  me: protectedProcedure.query(({ ctx }) => ctx.user),
});
