import { z } from "zod";

import { emailSchema, existingPasswordSchema, fullNameSchema, passwordSchema, uuidSchema } from "@voiceassist/shared";

import { rest } from "../rest-meta";
import {
  mfaChallengeSchema,
  publicUserSchema,
  registeredSchema,
  requestOptionsSchema,
  sessionSchema,
  successSchema,
  tokenPairSchema,
} from "../schemas";
import { loginUser, logoutUser, refreshTokens, registerUser } from "../services/auth";
import { listOwnSessions, revokeOwnSession } from "../services/session-views";
import { confirmEmailChange } from "../services/email-change";
import { resendVerification, verifyEmail } from "../services/email-verification";
import { acceptInvite } from "../services/invitations";
import { requestPasswordReset, resetPassword } from "../services/password-reset";
import { completeMfaSignIn, webauthnOptionsForChallenge } from "../services/mfa/login-challenge";
import { passkeyLogin, passkeyLoginOptions } from "../services/mfa/passkey-login";
import { protectedProcedure, publicProcedure, rateLimited, router } from "../trpc";
import { authenticationResponseSchema } from "./webauthn-inputs";

const challengeToken = z.string().min(1).max(128);

/** A token from a mailed link (32 random bytes, base64url); anything else is refused as INVALID_TOKEN by the service. */
const mailTokenSchema = z.string().min(1).max(256);

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
        errors: [400, 401, 403],
      }),
    )
    .output(z.union([tokenPairSchema, mfaChallengeSchema]))
    .use(rateLimited("login"))
    .input(z.strictObject({ email: emailSchema, password: existingPasswordSchema }))
    .mutation(({ ctx, input }) => loginUser(ctx.deps, input, ctx.request)),

  requestPasswordReset: publicProcedure
    .meta(
      rest("POST", "/auth/password-reset/request", {
        summary: "Mail a password reset link",
        description: "Answers the same, in about the same time, whether or not the account exists.",
        access: "public",
        limits: ["passwordResetIp", "passwordResetEmail"],
        errors: [400],
      }),
    )
    .output(successSchema)
    .use(rateLimited("passwordResetIp"))
    .input(z.strictObject({ email: emailSchema }))
    .use(rateLimited("passwordResetEmail", "email"))
    .mutation(async ({ ctx, input }) => {
      await requestPasswordReset(ctx.deps, input, ctx.request);
      return { success: true as const };
    }),

  resetPassword: publicProcedure
    .meta(
      rest("POST", "/auth/password-reset", {
        summary: "Set a new password with a mailed reset token",
        description:
          "Ends every session of the user and lifts ACCOUNT_LOCKED. A bad, used or expired token: 400 with reason INVALID_TOKEN.",
        access: "public",
        limits: ["resetPasswordIp"],
        errors: [400],
      }),
    )
    .output(successSchema)
    .use(rateLimited("resetPasswordIp"))
    .input(z.strictObject({ token: mailTokenSchema, newPassword: passwordSchema }))
    .mutation(async ({ ctx, input }) => {
      await resetPassword(ctx.deps, input, ctx.request);
      return { success: true as const };
    }),

  verifyEmail: publicProcedure
    .meta(
      rest("POST", "/auth/verify-email", {
        summary: "Verify an email address with a mailed token",
        access: "public",
        limits: ["mailLinkIp"],
        errors: [400],
      }),
    )
    .output(successSchema)
    .use(rateLimited("mailLinkIp"))
    .input(z.strictObject({ token: mailTokenSchema }))
    .mutation(async ({ ctx, input }) => {
      await verifyEmail(ctx.deps, input, ctx.request);
      return { success: true as const };
    }),

  resendVerification: protectedProcedure
    .meta(
      rest("POST", "/auth/verify-email/resend", {
        summary: "Mail the verification link again",
        description: "Does nothing when the address is already verified.",
        access: "user",
        limits: ["resendVerificationUser"],
      }),
    )
    .output(successSchema)
    .use(rateLimited("resendVerificationUser", "user"))
    .mutation(async ({ ctx }) => {
      await resendVerification(ctx.deps, ctx.actor);
      return { success: true as const };
    }),

  confirmEmailChange: publicProcedure
    .meta(
      rest("POST", "/auth/email-change/confirm", {
        summary: "Make the pending email the sign-in email, with the token mailed to it",
        access: "public",
        limits: ["mailLinkIp"],
        errors: [400, 409],
      }),
    )
    .output(successSchema)
    .use(rateLimited("mailLinkIp"))
    .input(z.strictObject({ token: mailTokenSchema }))
    .mutation(async ({ ctx, input }) => {
      await confirmEmailChange(ctx.deps, input, ctx.request);
      return { success: true as const };
    }),

  acceptInvite: publicProcedure
    .meta(
      rest("POST", "/auth/invite/accept", {
        summary: "Accept an invitation: choose a password (and name)",
        access: "public",
        limits: ["acceptInviteIp"],
        errors: [400],
      }),
    )
    .output(registeredSchema)
    .use(rateLimited("acceptInviteIp"))
    .input(z.strictObject({ token: mailTokenSchema, password: passwordSchema, fullName: fullNameSchema.optional() }))
    .mutation(async ({ ctx, input }) => ({ user: await acceptInvite(ctx.deps, input, ctx.request) })),

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
