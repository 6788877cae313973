import { and, asc, eq, sql } from "drizzle-orm";

import { users, type Database } from "@voiceassist/db";

import { adminRequired, DomainError, userNotFound, useRestore } from "../errors";
import type { Actor } from "./actor";
import { recordAudit, type AuditOrigin } from "./audit";
import { requestProvisioning, requeueFailedProvisioning } from "./provisioning-queue";
import { publicUserColumns, type PublicUser } from "./public-user";
import { advanceCredentials, revokeUserSessions } from "./sessions";
import { getUserForAdmin } from "./admin-user-views";
import { applyAdminEmailChange } from "./email-change";
import type { MailDeps } from "./mail";
import { effectiveChanges, getUser, profileChanged, writeUser, type UserChanges } from "./user-records";

export const refuse = (message: string) => new DomainError("invalid_input", message);

/**
 * Locks every active admin row, in id order, and checks that the actor is
 * still one of them. The check that adminProcedure made ran before this
 * transaction; an admin demoted or deactivated meanwhile must not act, so the
 * decision is made again under the lock that a demotion also needs. Locking
 * all admins in one order means two admins acting on each other serialise
 * here (no deadlock), and the second sees the first one's result.
 */
export async function lockAdminsAsActor(tx: Database, actorId: string): Promise<string[]> {
  const admins = await tx
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.isAdmin, true), eq(users.isActive, true)))
    .orderBy(asc(users.id))
    .for("update");
  const ids = admins.map((admin) => admin.id);
  if (!ids.includes(actorId)) throw adminRequired();
  return ids;
}

/** Refuses changes that would leave no active admin, given the locked active admins. */
export function guardLastAdmin(activeAdminIds: string[], targetId: string, changes: UserChanges) {
  if (changes.isAdmin !== false && changes.isActive !== false) return;
  if (activeAdminIds.length === 1 && activeAdminIds[0] === targetId) throw refuse("The last active admin cannot be removed");
}

/** What admin changes need: the database, and whether Nextcloud must follow. */
export interface AdminDeps {
  db: Database;
  nextcloudProvisioning: boolean;
}

/** Changes that may mail the user (an email change tells both addresses). */
export interface AdminMailDeps extends AdminDeps {
  mail: MailDeps;
}

/**
 * Changes a user. Only fields that really change are written and audited: a
 * save that changes nothing writes no event and returns the user as stored.
 * A deleted user comes back only through users.restore (`USE_RESTORE`). An
 * email change applies at once, unverified, and both addresses are told.
 */
export async function adminUpdateUser(
  { db, nextcloudProvisioning, mail }: AdminMailDeps,
  actor: Actor,
  { id: targetId, ...requested }: { id: string } & UserChanges,
  origin: AuditOrigin,
): Promise<PublicUser> {
  const actorId = actor.userId;
  if (targetId === actorId && requested.isAdmin === false) throw refuse("You cannot remove your own admin role");
  if (targetId === actorId && requested.isActive === false) throw refuse("You cannot deactivate yourself");

  let mailed = false;
  const user = await db.transaction(async (tx) => {
    const admins = await lockAdminsAsActor(tx, actorId);
    const target = await getUser(tx, targetId);
    if (target.deletedAt && requested.isActive === true) throw useRestore();
    const changes = effectiveChanges(target, requested);
    if (Object.keys(changes).length === 0) return target;
    guardLastAdmin(admins, targetId, changes);
    let updated = await writeUser(tx, targetId, changes);
    if (updated.email.toLowerCase() !== target.email.toLowerCase()) {
      const [admin] = await tx.select({ fullName: users.fullName, email: users.email }).from(users).where(eq(users.id, actorId));
      updated = await applyAdminEmailChange(tx, mail.settings, target, updated.email, admin?.fullName ?? admin?.email ?? null);
      mailed = true;
    }
    if (changes.isActive === false) {
      await advanceCredentials(tx, targetId);
      await revokeUserSessions(tx, targetId, "deactivated");
    }
    if (nextcloudProvisioning && (updated.isActive !== target.isActive || profileChanged(target, updated))) {
      await requestProvisioning(tx, targetId, updated.isActive);
    }
    await recordAudit(tx, origin, {
      action: "admin.user.update",
      outcome: "success",
      actorId,
      targetUserId: targetId,
      detail: { changes: { ...changes }, ...(mailed ? { previousEmail: target.email } : {}) },
    });
    return updated;
  });
  if (mailed) mail.wake();
  return user;
}

/**
 * Soft delete: the row stays, `deletedAt` is set, the account is deactivated
 * and every session ends. Repeating it keeps the first `deletedAt` and is audited again.
 */
export async function adminDeleteUser(
  { db, nextcloudProvisioning }: AdminDeps,
  actor: Actor,
  { id: targetId }: { id: string },
  origin: AuditOrigin,
) {
  const actorId = actor.userId;
  if (targetId === actorId) throw refuse("You cannot delete yourself");
  const user = await db.transaction(async (tx) => {
    guardLastAdmin(await lockAdminsAsActor(tx, actorId), targetId, { isActive: false });
    const target = await getUser(tx, targetId);
    const updated = target.deletedAt ? target : await markDeleted(tx, targetId);
    if (target.isActive) await advanceCredentials(tx, targetId);
    await revokeUserSessions(tx, targetId, "deleted");
    if (nextcloudProvisioning && target.isActive) await requestProvisioning(tx, targetId, false);
    await recordAudit(tx, origin, { action: "admin.user.delete", outcome: "success", actorId, targetUserId: targetId });
    return updated;
  });
  return user;
}

async function markDeleted(tx: Database, id: string): Promise<PublicUser> {
  const [user] = await tx
    .update(users)
    .set({ isActive: false, deletedAt: sql`now()` })
    .where(eq(users.id, id))
    .returning(publicUserColumns);
  if (!user) throw userNotFound();
  return user;
}

/** Puts a user's Nextcloud provisioning back in the queue now (e.g. after it failed). */
export async function adminRetryProvisioning(
  { db, nextcloudProvisioning }: AdminDeps,
  actor: Actor,
  { id: targetId }: { id: string },
  origin: AuditOrigin,
) {
  const actorId = actor.userId;
  if (!nextcloudProvisioning) throw refuse("Nextcloud is not configured");
  await db.transaction(async (tx) => {
    await lockAdminsAsActor(tx, actorId);
    const target = await getUser(tx, targetId);
    await requestProvisioning(tx, targetId, target.isActive);
    await recordAudit(tx, origin, {
      action: "admin.user.retry_provisioning",
      outcome: "success",
      actorId,
      targetUserId: targetId,
    });
  });
  return getUserForAdmin({ db }, { id: targetId });
}

/**
 * Puts every failed provisioning row back in the queue (e.g. after fixing Nextcloud's
 * credentials); one audit event records how many. Returns that count.
 */
export async function adminRetryAllProvisioning({ db, nextcloudProvisioning }: AdminDeps, actor: Actor, origin: AuditOrigin) {
  const actorId = actor.userId;
  if (!nextcloudProvisioning) throw refuse("Nextcloud is not configured");
  return db.transaction(async (tx) => {
    await lockAdminsAsActor(tx, actorId);
    const queued = await requeueFailedProvisioning(tx);
    await recordAudit(tx, origin, {
      action: "admin.user.retry_provisioning",
      outcome: "success",
      actorId,
      detail: { all: true, queued },
    });
    return { queued };
  });
}
