import type { AuthenticationResponseJSON, RegistrationResponseJSON } from "@simplewebauthn/server";
import { z } from "zod";

// What @simplewebauthn/browser's startRegistration / startAuthentication return, checked for shape
// (base64url strings, bounded); the signatures and everything inside are checked by the server library.
const b64url = z
  .string()
  .max(16_384)
  .regex(/^[A-Za-z0-9_-]*$/, "must be base64url");
const transports = z.array(z.enum(["ble", "cable", "hybrid", "internal", "nfc", "smart-card", "usb"])).max(8);
const common = {
  id: b64url.min(1),
  rawId: b64url.min(1),
  authenticatorAttachment: z.enum(["cross-platform", "platform"]).optional(),
  clientExtensionResults: z.record(z.string(), z.unknown()),
  type: z.literal("public-key"),
};

export const registrationResponseSchema = z
  .strictObject({
    ...common,
    response: z.strictObject({
      clientDataJSON: b64url,
      attestationObject: b64url,
      authenticatorData: b64url.optional(),
      transports: transports.optional(),
      publicKeyAlgorithm: z.number().int().optional(),
      publicKey: b64url.optional(),
    }),
  })
  .transform((value) => value as RegistrationResponseJSON);

export const authenticationResponseSchema = z
  .strictObject({
    ...common,
    response: z.strictObject({
      clientDataJSON: b64url,
      authenticatorData: b64url,
      signature: b64url,
      userHandle: b64url.optional(),
    }),
  })
  .transform((value) => value as AuthenticationResponseJSON);
