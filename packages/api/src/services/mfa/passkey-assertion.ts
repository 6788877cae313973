import { verifyAuthenticationResponse, type AuthenticationResponseJSON, type AuthenticatorTransport } from "@simplewebauthn/server";
import { and, eq, sql } from "drizzle-orm";

import { passkeys, type Database } from "@voiceassist/db";

import type { WebauthnSettings } from "./settings";

export interface VerifiedAssertion {
  passkeyId: string;
  userId: string;
  counter: number;
  newCounter: number;
}

/**
 * Checks a signed assertion against a stored passkey: origin, RP ID,
 * challenge, signature, user presence (and verification when asked), and a
 * signature counter that moved forward (a clone reusing an old counter is
 * refused). `userId` pins the passkey to one account. Null when anything fails.
 */
export async function verifyPasskeyAssertion(
  db: Database,
  webauthn: WebauthnSettings,
  response: AuthenticationResponseJSON,
  expected: { challenge: string; userId?: string; requireUserVerification: boolean },
): Promise<VerifiedAssertion | null> {
  const [key] = await db
    .select()
    .from(passkeys)
    .where(and(eq(passkeys.credentialId, response.id), expected.userId ? eq(passkeys.userId, expected.userId) : undefined));
  if (!key) return null;
  // A discoverable credential names its account: it must be the passkey's.
  const handle = response.response.userHandle;
  if (handle && Buffer.from(handle, "base64url").toString("utf8") !== key.userId) return null;
  const verification = await verifyAuthenticationResponse({
    response,
    expectedChallenge: expected.challenge,
    expectedOrigin: webauthn.origins,
    expectedRPID: webauthn.rpId,
    credential: {
      id: key.credentialId,
      publicKey: new Uint8Array(Buffer.from(key.publicKey, "base64url")),
      counter: key.counter,
      transports: (key.transports ?? undefined) as AuthenticatorTransport[] | undefined,
    },
    requireUserVerification: expected.requireUserVerification,
  }).catch(() => null);
  if (!verification?.verified) return null;
  return { passkeyId: key.id, userId: key.userId, counter: key.counter, newCounter: verification.authenticationInfo.newCounter };
}

/**
 * Stores the new counter as a compare-and-swap on the one it was checked
 * against: of two assertions racing from one authenticator (or a clone),
 * only one moves it.
 */
export async function recordPasskeyUse(db: Database, assertion: VerifiedAssertion): Promise<boolean> {
  const updated = await db
    .update(passkeys)
    .set({ counter: assertion.newCounter, lastUsedAt: sql`now()` })
    .where(and(eq(passkeys.id, assertion.passkeyId), eq(passkeys.counter, assertion.counter)))
    .returning({ id: passkeys.id });
  return updated.length === 1;
}
