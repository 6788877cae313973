import { Secret, TOTP } from "otpauth";

import type { VoiceAssistClient } from "@voiceassist/client";

/**
 * An authenticator app for tests: otpauth's RFC 6238 defaults (SHA-1, 6 digits,
 * 30 s) on the base32 key the server hands out, computed apart from the server's code.
 */
export function authenticatorApp(base32Key: string) {
  const totp = new TOTP({ secret: Secret.fromBase32(base32Key.replace(/\s/g, "")) });
  return {
    /** The code the app shows `offsetSteps` 30-second steps from now (0: now). */
    code: (offsetSteps = 0) => totp.generate({ timestamp: Date.now() + offsetSteps * 30_000 }),
  };
}

/**
 * Turns on TOTP for the signed-in `client` as a person would: password, the
 * key, a first code. Returns the app (its next code is the first that signs
 * in: the confirming one is spent) and the 10 backup codes.
 */
export async function enrolTotp(client: VoiceAssistClient, currentPassword: string) {
  const { secret } = await client.mfa.totp.begin.mutate({ currentPassword });
  const app = authenticatorApp(secret);
  const { backupCodes } = await client.mfa.totp.confirm.mutate({ code: app.code() });
  return { app, backupCodes };
}
