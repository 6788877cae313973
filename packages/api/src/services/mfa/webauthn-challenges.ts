import { createHash } from "node:crypto";

import { and, eq, gt, lt, sql } from "drizzle-orm";

import { webauthnChallenges, type Database, type WebauthnPurpose } from "@voiceassist/db";

import { WEBAUTHN_CHALLENGE_TTL_SECONDS } from "./settings";

const hashChallenge = (challenge: string) => createHash("sha256").update(challenge).digest("hex");

/** Remembers a challenge the server handed out, for one use within its lifetime. */
export async function storeWebauthnChallenge(
  db: Database,
  challenge: string,
  purpose: WebauthnPurpose,
  owner: { userId?: string | null; mfaChallengeId?: string | null } = {},
) {
  await db.insert(webauthnChallenges).values({
    challengeHash: hashChallenge(challenge),
    purpose,
    userId: owner.userId ?? null,
    mfaChallengeId: owner.mfaChallengeId ?? null,
    expiresAt: sql`now() + make_interval(secs => ${WEBAUTHN_CHALLENGE_TTL_SECONDS})`,
  });
}

/** The challenge a client signed over, from its clientDataJSON (null when unreadable). */
export function signedChallenge(clientDataJSON: string): string | null {
  try {
    const data: unknown = JSON.parse(Buffer.from(clientDataJSON, "base64url").toString("utf8"));
    const challenge = (data as { challenge?: unknown }).challenge;
    return typeof challenge === "string" && challenge.length <= 512 ? challenge : null;
  } catch {
    return null;
  }
}

/**
 * Takes (deletes) the challenge in one statement, before the response is
 * checked: a challenge is good for one ceremony, even a failed one, and of two
 * concurrent uses exactly one gets it. Returns who it was issued to.
 */
export async function takeWebauthnChallenge(db: Database, challenge: string, purpose: WebauthnPurpose) {
  const [row] = await db
    .delete(webauthnChallenges)
    .where(
      and(
        eq(webauthnChallenges.challengeHash, hashChallenge(challenge)),
        eq(webauthnChallenges.purpose, purpose),
        gt(webauthnChallenges.expiresAt, sql`now()`),
      ),
    )
    .returning({ userId: webauthnChallenges.userId, mfaChallengeId: webauthnChallenges.mfaChallengeId });
  return row ?? null;
}

export async function deleteExpiredWebauthnChallenges(db: Database) {
  await db.delete(webauthnChallenges).where(lt(webauthnChallenges.expiresAt, sql`now()`));
}
