import { eq, sql } from "drizzle-orm";

import { users, type Database } from "@voiceassist/db";

import { DomainError, userNotFound } from "../errors";
import { recordAudit, type AuditOrigin } from "./audit";
import type { PasswordHasher } from "./passwords";
import { revokeUserSessions } from "./sessions";
import { writeUser } from "./users";

/** Self-service profile edit; only name and email can change here. */
export async function updateOwnProfile(
  db: Database,
  userId: string,
  changes: { fullName?: string | null; email?: string },
  origin: AuditOrigin,
) {
  return db.transaction(async (tx) => {
    const user = await writeUser(tx, userId, changes);
    await recordAudit(tx, origin, {
      action: "user.update",
      outcome: "success",
      actorId: userId,
      targetUserId: userId,
      detail: { fields: Object.keys(changes) },
    });
    return user;
  });
}

/**
 * Checks the current password, stores the new hash and revokes every other
 * session: whoever else held the old password's sessions is signed out.
 */
export async function changeOwnPassword(
  deps: { db: Database; passwords: PasswordHasher },
  who: { userId: string; sessionId: string },
  input: { currentPassword: string; newPassword: string },
  origin: AuditOrigin,
) {
  const { db, passwords } = deps;
  const [row] = await db.select({ hashedPassword: users.hashedPassword }).from(users).where(eq(users.id, who.userId));
  if (!row) throw userNotFound();
  if (!(await passwords.verify(input.currentPassword, row.hashedPassword))) {
    await recordAudit(db, origin, {
      action: "user.change_password",
      outcome: "failure",
      actorId: who.userId,
      targetUserId: who.userId,
      detail: { reason: "wrong_current_password" },
    });
    // BAD_REQUEST, not UNAUTHORIZED: clients must not mistake it for an expired token.
    throw new DomainError("invalid_input", "Current password is incorrect");
  }
  const hashedPassword = await passwords.hash(input.newPassword);
  await db.transaction(async (tx) => {
    await tx.update(users).set({ hashedPassword, updatedAt: sql`now()` }).where(eq(users.id, who.userId));
    await revokeUserSessions(tx, who.userId, "password_change", who.sessionId);
    await recordAudit(tx, origin, {
      action: "user.change_password",
      outcome: "success",
      actorId: who.userId,
      targetUserId: who.userId,
    });
  });
}
