import { createHash } from "node:crypto";

import { eq, sql } from "drizzle-orm";

import { users, type Database } from "@voiceassist/db";

import { recordAudit, type AuditEntry, type AuditOrigin } from "../audit";
import { publicUserColumns, type PublicUser } from "../public-user";
import { createSession, type AuthMethod, type SessionPolicy } from "../sessions";

/** SHA-256 of a password hash: lets a challenge pin the hash it was checked against without copying it. */
export const passwordFingerprint = (hashedPassword: string) => createHash("sha256").update(hashedPassword).digest("hex");

/**
 * Makes an aal2 session at the end of a second-factor or passkey sign-in,
 * inside the caller's transaction: locks the user row and re-checks that the
 * account is active and, when `expected` is given, still has the credentials
 * the password step verified. A deactivation, deletion or password change
 * that committed meanwhile makes it return null (no session is made); one
 * that commits later waits for the lock and then ends this session.
 */
export async function openSecondFactorSession(
  tx: Database,
  sessionPolicy: SessionPolicy,
  userId: string,
  expected: { credentialsVersion: number; passwordFingerprint: string } | null,
  origin: AuditOrigin,
  audit: Omit<AuditEntry, "detail"> & { detail: Record<string, unknown> },
  /** What the session records as the sign-in's methods (the ID tokens' `amr`). */
  amr: AuthMethod[],
): Promise<{ user: PublicUser; session: { sessionId: string; refreshJti: string } } | null> {
  const [account] = await tx
    .select({ isActive: users.isActive, credentialsVersion: users.credentialsVersion, hashedPassword: users.hashedPassword })
    .from(users)
    .where(eq(users.id, userId))
    .for("update");
  if (!account?.isActive) return null;
  if (
    expected &&
    (account.credentialsVersion !== expected.credentialsVersion ||
      account.hashedPassword === null ||
      passwordFingerprint(account.hashedPassword) !== expected.passwordFingerprint)
  ) {
    return null;
  }
  const [user] = await tx.update(users).set({ lastLogin: sql`now()` }).where(eq(users.id, userId)).returning(publicUserColumns);
  if (!user) return null;
  const session = await createSession(tx, { id: userId, credentialsVersion: account.credentialsVersion }, sessionPolicy, origin, amr);
  await recordAudit(tx, origin, { ...audit, detail: { ...audit.detail, sessionId: session.sessionId } });
  return { user, session };
}
