import { eq, sql } from "drizzle-orm";

import { loginFailures, sessions, users } from "@voiceassist/db";

import { userNotFound } from "../errors";
import type { Actor } from "./actor";
import { type AdminDeps, lockAdminsAsActor, refuse } from "./admin-users";
import { recordAudit, type AuditOrigin } from "./audit";
import { scrubUserFromAudit } from "./audit-erasure";
import { emailHash } from "./login-failures";
import { requestProvisioning } from "./provisioning-queue";
import { removeSecondFactors } from "./mfa/reset";
import { publicUserColumns, type PublicUser } from "./public-user";

/** What an erased account's email becomes: unique, clearly not a mailbox (`.invalid` never resolves). */
export const erasedEmail = (id: string) => `erased-${id}@erased.invalid`;

/**
 * Brings a deleted user back: active again, `deletedAt` cleared. Restoring a
 * user that is not deleted changes nothing and writes no event; an erased one
 * has nothing left to restore.
 */
export async function adminRestoreUser(
  { db, nextcloudProvisioning }: AdminDeps,
  actor: Actor,
  { id: targetId }: { id: string },
  origin: AuditOrigin,
): Promise<PublicUser> {
  return db.transaction(async (tx) => {
    await lockAdminsAsActor(tx, actor.userId);
    const [target] = await tx
      .select({ ...publicUserColumns, erasedAt: users.erasedAt })
      .from(users)
      .where(eq(users.id, targetId))
      .for("update");
    if (!target) throw userNotFound();
    const { erasedAt, ...user } = target;
    if (erasedAt) throw refuse("An erased user cannot be restored");
    if (!user.deletedAt) return user;
    const [restored] = await tx
      .update(users)
      .set({ isActive: true, deletedAt: null })
      .where(eq(users.id, targetId))
      .returning(publicUserColumns);
    if (nextcloudProvisioning) await requestProvisioning(tx, targetId, true);
    await recordAudit(tx, origin, { action: "admin.user.restore", outcome: "success", actorId: actor.userId, targetUserId: targetId });
    return restored ?? user;
  });
}

/**
 * Erases a deleted user's personal data for good: email and name become
 * placeholders, the password hash and second factors go, every session row is
 * deleted (they hold IPs and browsers), and the audit trail keeps only the id.
 * `confirmEmail` must repeat the email, so a slip of the mouse erases nothing.
 */
export async function adminEraseUser(
  { db, nextcloudProvisioning }: AdminDeps,
  actor: Actor,
  { id: targetId, confirmEmail }: { id: string; confirmEmail: string },
  origin: AuditOrigin,
): Promise<void> {
  await db.transaction(async (tx) => {
    await lockAdminsAsActor(tx, actor.userId);
    const [target] = await tx.select().from(users).where(eq(users.id, targetId)).for("update");
    if (!target) throw userNotFound();
    if (!target.deletedAt) throw refuse("Only a deleted user can be erased: delete the user first");
    if (target.email.toLowerCase() !== confirmEmail.toLowerCase()) throw refuse("The email typed does not match the user's email");
    if (target.erasedAt) return;

    await tx
      .update(users)
      .set({
        email: erasedEmail(targetId),
        fullName: null,
        hashedPassword: null,
        pendingEmail: null,
        emailVerifiedAt: null,
        invitedAt: null,
        mfaEnabled: false,
        isActive: false,
        isAdmin: false,
        erasedAt: sql`now()`,
        credentialsVersion: sql`${users.credentialsVersion} + 1`,
      })
      .where(eq(users.id, targetId));
    await tx.delete(sessions).where(eq(sessions.userId, targetId));
    await removeSecondFactors(tx, targetId);
    await tx.delete(loginFailures).where(eq(loginFailures.emailHash, emailHash(target.email)));
    await scrubUserFromAudit(tx, { id: targetId, email: target.email, fullName: target.fullName, pendingEmail: target.pendingEmail });
    // Nextcloud's copy carries the email and display name too: it gets the placeholders, disabled.
    if (nextcloudProvisioning) await requestProvisioning(tx, targetId, false);
    await recordAudit(tx, origin, { action: "admin.user.erase", outcome: "success", actorId: actor.userId, targetUserId: targetId });
  });
}
