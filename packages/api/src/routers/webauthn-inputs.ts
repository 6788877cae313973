import type { AuthenticationExtensionsClientOutputs, AuthenticationResponseJSON, RegistrationResponseJSON } from "@simplewebauthn/server";
import { z } from "zod";

// What @simplewebauthn/browser's startRegistration / startAuthentication return, checked for shape
// (base64url strings, bounded); the signatures and everything inside are checked by the server library.
const b64url = z
  .string()
  .max(16_384)
  .regex(/^[A-Za-z0-9_-]*$/, "must be base64url");
// Plain strings: browsers add transports over time, and the list is only a hint for later ceremonies.
const transports = z.array(z.string().max(32)).max(8);
/** Extension outputs as the browser reports them: an object, passed to the library as is. */
const extensionResults = z
  .custom<AuthenticationExtensionsClientOutputs>((value) => typeof value === "object" && value !== null && !Array.isArray(value), {
    message: "must be an object",
  })
  .meta({ override: { type: "object", additionalProperties: true } });
const common = {
  id: b64url.min(1),
  rawId: b64url.min(1),
  authenticatorAttachment: z.enum(["cross-platform", "platform"]).optional(),
  clientExtensionResults: extensionResults,
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
