import { z } from "zod";

import { emailSchema, existingPasswordSchema, fullNameSchema, passwordSchema } from "@voiceassist/shared";

import { rest } from "../rest-meta";
import { mfaChallengeSchema, publicUserSchema, registeredSchema, requestOptionsSchema, successSchema, tokenPairSchema } from "../schemas";
import { loginUser, logoutUser, refreshTokens, registerUser } from "../services/auth";
import { completeMfaSignIn, webauthnOptionsForChallenge } from "../services/mfa/login-challenge";
import { passkeyLogin, passkeyLoginOptions } from "../services/mfa/passkey-login";
import { protectedProcedure, publicProcedure, rateLimited, router } from "../trpc";
import { authenticationResponseSchema } from "./webauthn-inputs";

const challengeToken = z.string().min(1).max(128);

export const authRouter = router({
  register: publicProcedure
    .meta(rest("POST", "/auth/register", { summary: "Create an account", access: "public", limits: ["register"], errors: [400, 409] }))
    .output(registeredSchema)
    .use(rateLimited("register"))
    .input(z.strictObject({ email: emailSchema, password: passwordSchema, fullName: fullNameSchema.optional() }))
    .mutation(async ({ ctx, input }) => ({ user: await registerUser(ctx.deps, input, ctx.request) })),

  login: publicProcedure
    .meta(
      rest("POST", "/auth/login", {
        summary: "Sign in",
        description: "For an account with a second factor the answer is an MfaChallenge (mfaRequired: true) for auth.mfa.verify.",
        access: "public",
        limits: ["login"],
        errors: [400, 401],
      }),
    )
    .output(z.union([tokenPairSchema, mfaChallengeSchema]))
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

  mfa: router({
    verify: publicProcedure
      .meta(
        rest("POST", "/auth/mfa/verify", {
          summary: "Second sign-in step: a TOTP code, a backup code or a passkey",
          description: "The challenge lives 5 minutes and dies after 5 wrong answers.",
          access: "public",
          limits: ["mfaVerify", "mfaVerifyAccount"],
          errors: [400, 401],
        }),
      )
      .output(tokenPairSchema)
      .use(rateLimited("mfaVerify"))
      .input(
        z
          .strictObject({
            challengeToken,
            totpCode: z.string().trim().min(1).max(16).optional(),
            backupCode: z.string().trim().min(1).max(64).optional(),
            webauthn: authenticationResponseSchema.optional(),
          })
          .refine((input) => [input.totpCode, input.backupCode, input.webauthn].filter((v) => v !== undefined).length === 1, {
            message: "Give exactly one of totpCode, backupCode or webauthn",
          }),
      )
      .mutation(({ ctx, input }) => completeMfaSignIn(ctx.deps, input, ctx.request)),

    webauthnOptions: publicProcedure
      .meta(
        rest("POST", "/auth/mfa/webauthn-options", {
          summary: "Passkey request options for a sign-in challenge",
          access: "public",
          limits: ["webauthnOptions"],
          errors: [400, 401],
        }),
      )
      .output(requestOptionsSchema)
      .use(rateLimited("webauthnOptions"))
      .input(z.strictObject({ challengeToken }))
      .mutation(({ ctx, input }) => webauthnOptionsForChallenge(ctx.deps, input)),
  }),

  passkey: router({
    options: publicProcedure
      .meta(
        rest("POST", "/auth/passkey/options", {
          summary: "Request options for a passwordless sign-in with a passkey",
          access: "public",
          limits: ["webauthnOptions"],
        }),
      )
      .output(requestOptionsSchema)
      .use(rateLimited("webauthnOptions"))
      .input(z.strictObject({}).optional())
      .mutation(({ ctx }) => passkeyLoginOptions(ctx.deps)),

    login: publicProcedure
      .meta(
        rest("POST", "/auth/passkey/login", {
          summary: "Sign in with a passkey (counts as two factors)",
          access: "public",
          limits: ["passkeyLogin"],
          errors: [400, 401],
        }),
      )
      .output(tokenPairSchema)
      .use(rateLimited("passkeyLogin"))
      .input(z.strictObject({ response: authenticationResponseSchema }))
      .mutation(({ ctx, input }) => passkeyLogin(ctx.deps, input, ctx.request)),
  }),

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
});
