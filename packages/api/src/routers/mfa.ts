import { z } from "zod";

import { existingPasswordSchema, text, uuidSchema } from "@voiceassist/shared";

import { rest } from "../rest-meta";
import { backupCodesSchema, creationOptionsSchema, mfaStatusSchema, passkeySchema, successSchema, totpSetupSchema } from "../schemas";
import { mfaStatus } from "../services/mfa/factors";
import { passkeyRegistrationOptions, registerPasskey, removePasskey } from "../services/mfa/passkeys";
import { beginTotpEnrolment, confirmTotpEnrolment, disableTotp, regenerateBackupCodes } from "../services/mfa/totp-enrolment";
import { protectedProcedure, rateLimited, router } from "../trpc";
import { registrationResponseSchema } from "./webauthn-inputs";

/** A TOTP code ("123 456" is fine) or a backup code. */
const codeSchema = text().trim().min(1).max(64);
const passkeyName = text().trim().min(1).max(100);

/** Checks of a password or code: budgeted per user, so a stolen access token gets few guesses. */
const proven = protectedProcedure.use(rateLimited("mfaProofUser", "user"));

export const mfaRouter = router({
  status: protectedProcedure
    .meta(rest("GET", "/mfa/status", { summary: "Your second factors", access: "user" }))
    .output(mfaStatusSchema)
    .query(({ ctx }) => mfaStatus(ctx.deps.db, ctx.actor.userId)),

  totp: router({
    begin: proven
      .meta(
        rest("POST", "/mfa/totp/begin", {
          summary: "Start setting up an authenticator app",
          description: "Nothing is enabled until mfa.totp.confirm.",
          access: "user",
          limits: ["mfaProofUser"],
          errors: [400],
        }),
      )
      .output(totpSetupSchema)
      .input(z.strictObject({ currentPassword: existingPasswordSchema }))
      .mutation(({ ctx, input }) => beginTotpEnrolment(ctx.deps, ctx.actor, input)),

    confirm: proven
      .meta(
        rest("POST", "/mfa/totp/confirm", {
          summary: "Enable the authenticator app with a first code",
          description: "Answers with 10 backup codes, shown once. Ends your other sessions.",
          access: "user",
          limits: ["mfaProofUser"],
          errors: [400],
        }),
      )
      .output(backupCodesSchema)
      .input(z.strictObject({ code: codeSchema }))
      .mutation(({ ctx, input }) => confirmTotpEnrolment(ctx.deps, ctx.actor, input, ctx.request)),

    disable: proven
      .meta(
        rest("POST", "/mfa/totp/disable", {
          summary: "Turn the authenticator app off",
          description: "Takes a current TOTP or backup code. Ends your other sessions.",
          access: "user",
          limits: ["mfaProofUser"],
          errors: [400],
        }),
      )
      .output(successSchema)
      .input(z.strictObject({ code: codeSchema }))
      .mutation(({ ctx, input }) => disableTotp(ctx.deps, ctx.actor, input, ctx.request)),
  }),

  backupCodes: router({
    regenerate: proven
      .meta(
        rest("POST", "/mfa/backup-codes/regenerate", {
          summary: "Replace your backup codes",
          description: "Takes a current TOTP or backup code; the old codes stop working.",
          access: "user",
          limits: ["mfaProofUser"],
          errors: [400],
        }),
      )
      .output(backupCodesSchema)
      .input(z.strictObject({ code: codeSchema }))
      .mutation(({ ctx, input }) => regenerateBackupCodes(ctx.deps, ctx.actor, input, ctx.request)),
  }),

  passkeys: router({
    registrationOptions: proven
      .meta(
        rest("POST", "/mfa/passkeys/registration-options", {
          summary: "Start adding a passkey",
          description: "Answers with PublicKeyCredentialCreationOptionsJSON for navigator.credentials.create.",
          access: "user",
          limits: ["mfaProofUser"],
          errors: [400],
        }),
      )
      .output(creationOptionsSchema)
      .input(z.strictObject({ currentPassword: existingPasswordSchema }))
      .mutation(({ ctx, input }) => passkeyRegistrationOptions(ctx.deps, ctx.actor, input)),

    register: protectedProcedure
      .meta(
        rest("POST", "/mfa/passkeys", {
          summary: "Add a passkey",
          description: "Takes the authenticator's answer to the registration options. Ends your other sessions.",
          access: "user",
          errors: [400, 409],
        }),
      )
      .output(passkeySchema)
      .input(z.strictObject({ response: registrationResponseSchema, name: passkeyName.optional() }))
      .mutation(({ ctx, input }) => registerPasskey(ctx.deps, ctx.actor, input, ctx.request)),

    remove: proven
      .meta(
        rest("POST", "/mfa/passkeys/{id}/remove", {
          summary: "Remove a passkey",
          description:
            "Takes a current TOTP or backup code, or the password; the last second factor takes a code. Ends your other sessions.",
          access: "user",
          limits: ["mfaProofUser"],
          errors: [400, 404],
        }),
      )
      .output(successSchema)
      .input(
        z
          .strictObject({ id: uuidSchema, code: codeSchema.optional(), currentPassword: existingPasswordSchema.optional() })
          .refine((input) => (input.code === undefined) !== (input.currentPassword === undefined), {
            message: "Give either code or currentPassword",
          }),
      )
      .mutation(({ ctx, input }) => removePasskey(ctx.deps, ctx.actor, input, ctx.request)),
  }),
});
