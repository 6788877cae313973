import { createHash, randomBytes } from "node:crypto";

import { and, eq, gt, isNull, sql } from "drizzle-orm";

import { accountTokens, type AccountTokenPurpose, type Database } from "@voiceassist/db";

import { DomainError } from "../errors";
import { LINK_LIFETIME_HOURS } from "./mail/templates";

export type { AccountTokenPurpose } from "@voiceassist/db";

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

/** 32 random bytes as base64url: 43 characters. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export const invalidToken = () =>
  new DomainError("invalid_input", "This link is invalid, expired or already used", { reason: "INVALID_TOKEN" });

/**
 * Makes a token for `purpose`, bound to `email` (the address it is mailed
 * to), and voids every older unused token of that purpose for the user:
 * only the newest link works. Returns the token; only its hash is stored.
 */
export async function issueAccountToken(tx: Database, userId: string, purpose: AccountTokenPurpose, email: string): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  await voidAccountTokens(tx, userId, purpose);
  await tx.insert(accountTokens).values({
    userId,
    purpose,
    email,
    tokenHash: hashToken(token),
    expiresAt: sql`now() + make_interval(hours => ${LINK_LIFETIME_HOURS[purpose]})`,
  });
  return token;
}

/** Deletes the user's unused tokens of `purpose` (a newer one was issued, or the change was cancelled). */
export async function voidAccountTokens(tx: Database, userId: string, purpose: AccountTokenPurpose) {
  await tx
    .delete(accountTokens)
    .where(and(eq(accountTokens.userId, userId), eq(accountTokens.purpose, purpose), isNull(accountTokens.usedAt)));
}

const usable = (token: string, purpose: AccountTokenPurpose) =>
  and(
    eq(accountTokens.tokenHash, hashToken(token)),
    eq(accountTokens.purpose, purpose),
    isNull(accountTokens.usedAt),
    gt(accountTokens.expiresAt, sql`now()`),
  );

/** Reads a usable token without spending it (to check a new password against the account first). */
export async function peekAccountToken(db: Database, token: string, purpose: AccountTokenPurpose) {
  if (!TOKEN_SHAPE.test(token)) throw invalidToken();
  const [row] = await db
    .select({ userId: accountTokens.userId, email: accountTokens.email })
    .from(accountTokens)
    .where(usable(token, purpose))
    .limit(1);
  if (!row) throw invalidToken();
  return row;
}

/**
 * Spends a token in one conditional UPDATE, so of two concurrent uses
 * exactly one gets it. Run it in the transaction that applies the effect:
 * a rollback gives the token back. Wrong purpose, used, expired or unknown:
 * BAD_REQUEST with reason INVALID_TOKEN.
 */
export async function consumeAccountToken(tx: Database, token: string, purpose: AccountTokenPurpose) {
  if (!TOKEN_SHAPE.test(token)) throw invalidToken();
  const [row] = await tx
    .update(accountTokens)
    .set({ usedAt: sql`now()` })
    .where(usable(token, purpose))
    .returning({ userId: accountTokens.userId, email: accountTokens.email });
  if (!row) throw invalidToken();
  return row;
}
