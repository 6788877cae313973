import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import { z } from "zod";

import type { MfaChallenge } from "../services/mfa/login-challenge";
import type { mfaStatus } from "../services/mfa/factors";
import type { beginTotpEnrolment, confirmTotpEnrolment } from "../services/mfa/totp-enrolment";
import type { registerPasskey } from "../services/mfa/passkeys";
import { timestamp, uuid } from "./common";
import { sameShape } from "./same-shape";

export const mfaMethodSchema = z.enum(["totp", "webauthn", "backup_code"]);

/** auth.login's answer for an account with a second factor; tell it from a TokenPair by `mfaRequired`. */
export const mfaChallengeSchema = z
  .object({
    mfaRequired: z.literal(true),
    challengeToken: z.string(),
    methods: z.array(mfaMethodSchema),
    expiresIn: z.number().int().meta({ description: "Seconds until the challenge expires" }),
  })
  .meta({ id: "MfaChallenge" });
sameShape<z.output<typeof mfaChallengeSchema>, MfaChallenge>(true);

export const passkeySchema = z
  .object({ id: uuid(), name: z.string(), createdAt: timestamp(), lastUsedAt: timestamp().nullable() })
  .meta({ id: "Passkey" });
sameShape<z.output<typeof passkeySchema>, Awaited<ReturnType<typeof registerPasskey>>>(true);

export const mfaStatusSchema = z
  .object({ totp: z.boolean(), passkeys: z.array(passkeySchema), backupCodesRemaining: z.number().int() })
  .meta({ id: "MfaStatus" });
sameShape<z.output<typeof mfaStatusSchema>, Awaited<ReturnType<typeof mfaStatus>>>(true);

export const totpSetupSchema = z
  .object({
    secret: z.string().meta({ description: "Base32, for typing into an authenticator app" }),
    otpauthUri: z.string(),
    qrCodeSvg: z.string().meta({ description: "The otpauth URI as a QR code (an SVG document)" }),
  })
  .meta({ id: "TotpSetup" });
sameShape<z.output<typeof totpSetupSchema>, Awaited<ReturnType<typeof beginTotpEnrolment>>>(true);

export const backupCodesSchema = z
  .object({ backupCodes: z.array(z.string()).meta({ description: "10 single-use codes, shown this once" }) })
  .meta({ id: "BackupCodes" });
sameShape<z.output<typeof backupCodesSchema>, Awaited<ReturnType<typeof confirmTotpEnrolment>>>(true);

/**
 * WebAuthn options as @simplewebauthn/server makes them (the W3C JSON forms),
 * passed through whole: a loose object, so no member is stripped on the way out.
 */
const webauthnOptions = <T extends { challenge: string }>(id: string) =>
  z
    .custom<T>((value) => typeof value === "object" && value !== null && typeof (value as { challenge?: unknown }).challenge === "string")
    .meta({
      id,
      override: { type: "object", required: ["challenge"], properties: { challenge: { type: "string" } }, additionalProperties: true },
    });
export const creationOptionsSchema = webauthnOptions<PublicKeyCredentialCreationOptionsJSON>("PublicKeyCredentialCreationOptionsJSON");
export const requestOptionsSchema = webauthnOptions<PublicKeyCredentialRequestOptionsJSON>("PublicKeyCredentialRequestOptionsJSON");
