import { eq } from "drizzle-orm";

import { users, type Database } from "@voiceassist/db";

import { DomainError, notAuthenticated } from "../../errors";
import type { Actor } from "../actor";
import type { PasswordHasher } from "../passwords";
import { findLiveSession } from "../sessions";

export const wrongCurrentPassword = () => new DomainError("invalid_input", "Current password is incorrect");
export const wrongCode = () => new DomainError("invalid_input", "Invalid or already used code");

/** The current password, as proof for starting an enrolment or removing a passkey (BAD_REQUEST, not 401). */
export async function assertCurrentPassword(deps: { db: Database; passwords: PasswordHasher }, userId: string, password: string) {
  const [row] = await deps.db.select({ hashedPassword: users.hashedPassword, email: users.email }).from(users).where(eq(users.id, userId));
  if (!row || !(await deps.passwords.verify(password, row.hashedPassword))) throw wrongCurrentPassword();
  return row;
}

/**
 * Opens a factor change: locks the user row (so changes to one account's
 * factors, password or status run one at a time) and checks the calling
 * session is still live. Returns whether that session used a second factor.
 */
export async function lockForFactorChange(tx: Database, who: Actor): Promise<{ sessionMfa: boolean; email: string }> {
  const [locked] = await tx.select({ email: users.email }).from(users).where(eq(users.id, who.userId)).for("update");
  const session = locked ? await findLiveSession(tx, who.sessionId, who.userId) : null;
  if (!locked || !session) throw notAuthenticated("Session revoked");
  return { sessionMfa: session.mfa, email: locked.email };
}
