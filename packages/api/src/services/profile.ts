import { eq } from "drizzle-orm";

import { users, type Database } from "@voiceassist/db";

import { DomainError, notAuthenticated, samePassword, userNotFound } from "../errors";
import type { Actor } from "./actor";
import { recordAudit, type AuditOrigin } from "./audit";
import { enqueueMail, type MailDeps } from "./mail";
import type { PasswordHasher } from "./passwords";
import { assertAcceptablePassword } from "./password-policy";
import { advanceCredentials, findSessionUser, revokeUserSessions } from "./sessions";
import { requestProvisioning } from "./provisioning-queue";
import { effectiveChanges, getUser, profileChanged, writeUser } from "./user-records";

/**
 * Self-service profile edit; only the name changes here (email changes are confirmed by mail,
 * see email-change.ts). A save that changes nothing writes no event.
 */
export async function updateOwnProfile(
  { db, nextcloudProvisioning }: { db: Database; nextcloudProvisioning: boolean },
  { userId }: Actor,
  changes: { fullName?: string | null },
  origin: AuditOrigin,
) {
  return db.transaction(async (tx) => {
    const before = await getUser(tx, userId);
    const changed = effectiveChanges(before, changes);
    if (Object.keys(changed).length === 0) return before;
    const user = await writeUser(tx, userId, changed);
    if (nextcloudProvisioning && profileChanged(before, user)) await requestProvisioning(tx, userId, user.isActive);
    await recordAudit(tx, origin, {
      action: "user.update",
      outcome: "success",
      actorId: userId,
      targetUserId: userId,
      detail: { fields: Object.keys(changed) },
    });
    return user;
  });
}

/**
 * Checks the current password and swaps in the new hash as a compare-and-swap:
 * bcrypt runs outside any lock, then one transaction locks the user row and
 * writes only if the hash is still the one verified and the calling session is
 * still live. Of two racing changes exactly one wins; the loser writes nothing.
 * The credentials version moves on, so every other session dies with the old
 * password; the calling session is carried over.
 */
export async function changeOwnPassword(
  deps: { db: Database; passwords: PasswordHasher; mail: MailDeps },
  who: Actor,
  input: { currentPassword: string; newPassword: string },
  origin: AuditOrigin,
) {
  const { db, passwords } = deps;
  const audit = (outcome: "success" | "failure", reason?: string) =>
    recordAudit(db, origin, {
      action: "user.change_password",
      outcome,
      actorId: who.userId,
      targetUserId: who.userId,
      detail: reason ? { reason } : null,
    });

  const [row] = await db.select({ hashedPassword: users.hashedPassword, email: users.email }).from(users).where(eq(users.id, who.userId));
  if (!row) throw userNotFound();
  if (!(await passwords.verify(input.currentPassword, row.hashedPassword))) {
    await audit("failure", "wrong_current_password");
    // BAD_REQUEST, not UNAUTHORIZED: clients must not mistake it for an expired token.
    throw new DomainError("invalid_input", "Current password is incorrect");
  }
  if (input.newPassword.normalize("NFC") === input.currentPassword.normalize("NFC")) {
    await audit("failure", "same_password");
    throw samePassword();
  }
  assertAcceptablePassword(input.newPassword, row.email);
  const hashedPassword = await passwords.hash(input.newPassword);

  const outcome = await db.transaction(async (tx) => {
    const [locked] = await tx
      .select({ hashedPassword: users.hashedPassword, email: users.email })
      .from(users)
      .where(eq(users.id, who.userId))
      .for("update");
    if (!locked || !(await findSessionUser(tx, who.sessionId, who.userId))) return "session_gone" as const;
    if (locked.hashedPassword !== row.hashedPassword) return "password_changed" as const;
    await tx.update(users).set({ hashedPassword }).where(eq(users.id, who.userId));
    await advanceCredentials(tx, who.userId, who.sessionId);
    await revokeUserSessions(tx, who.userId, "password_change", who.sessionId);
    await enqueueMail(tx, deps.mail.settings, { to: locked.email, userId: who.userId, template: "password_changed" });
    await recordAudit(tx, origin, {
      action: "user.change_password",
      outcome: "success",
      actorId: who.userId,
      targetUserId: who.userId,
    });
    return "changed" as const;
  });
  if (outcome === "changed") {
    deps.mail.wake();
    return;
  }
  await audit("failure", outcome);
  if (outcome === "session_gone") throw notAuthenticated("Session revoked");
  throw new DomainError("invalid_input", "The password was changed meanwhile; nothing was written");
}
