import { and, asc, eq } from "drizzle-orm";

import { users, type Database } from "@voiceassist/db";

import { DomainError } from "../errors";
import { recordAudit, type AuditOrigin } from "./audit";
import { requestProvisioning } from "./provisioning-queue";
import type { PublicUser } from "./public-user";
import { revokeUserSessions } from "./sessions";
import { getUser, getUserForAdmin, writeUser, type UserChanges } from "./users";

const refuse = (message: string) => new DomainError("invalid_input", message);

/**
 * Refuses changes that would leave no active admin. Every active admin row
 * is locked, in id order, before the target is read: two admins removing
 * each other at once serialise here (no deadlock), and the second sees the
 * first one's result.
 */
async function guardLastAdmin(tx: Database, targetId: string, changes: UserChanges) {
  if (changes.isAdmin !== false && changes.isActive !== false) return;
  const admins = await tx
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.isAdmin, true), eq(users.isActive, true)))
    .orderBy(asc(users.id))
    .for("update");
  const targetIsActiveAdmin = admins.some((admin) => admin.id === targetId);
  if (targetIsActiveAdmin && admins.length === 1) throw refuse("The last active admin cannot be removed");
}

/** What admin changes need: the database, and whether Nextcloud must follow. */
export interface AdminDeps {
  db: Database;
  nextcloudProvisioning: boolean;
}

export async function adminUpdateUser(
  { db, nextcloudProvisioning }: AdminDeps,
  actorId: string,
  targetId: string,
  changes: UserChanges,
  origin: AuditOrigin,
): Promise<PublicUser> {
  if (targetId === actorId && changes.isAdmin === false) throw refuse("You cannot remove your own admin role");
  if (targetId === actorId && changes.isActive === false) throw refuse("You cannot deactivate yourself");

  const user = await db.transaction(async (tx) => {
    await guardLastAdmin(tx, targetId, changes);
    const target = await getUser(tx, targetId);
    const updated = await writeUser(tx, targetId, changes);
    if (changes.isActive === false) await revokeUserSessions(tx, targetId, "deactivated");
    if (nextcloudProvisioning && changes.isActive !== undefined && changes.isActive !== target.isActive) {
      await requestProvisioning(tx, targetId, changes.isActive);
    }
    await recordAudit(tx, origin, {
      action: "admin.user.update",
      outcome: "success",
      actorId,
      targetUserId: targetId,
      detail: { changes: { ...changes } },
    });
    return updated;
  });
  return user;
}

/** Soft delete: the row stays, the account is deactivated and every session revoked. Idempotent. */
export async function adminDeleteUser(
  { db, nextcloudProvisioning }: AdminDeps,
  actorId: string,
  targetId: string,
  origin: AuditOrigin,
) {
  if (targetId === actorId) throw refuse("You cannot delete yourself");
  const user = await db.transaction(async (tx) => {
    await guardLastAdmin(tx, targetId, { isActive: false });
    const target = await getUser(tx, targetId);
    const updated = target.isActive ? await writeUser(tx, targetId, { isActive: false }) : target;
    await revokeUserSessions(tx, targetId, "deleted");
    if (nextcloudProvisioning && target.isActive) await requestProvisioning(tx, targetId, false);
    await recordAudit(tx, origin, { action: "admin.user.delete", outcome: "success", actorId, targetUserId: targetId });
    return updated;
  });
  return user;
}

/** Puts a user's Nextcloud provisioning back in the queue now (e.g. after it failed). */
export async function adminRetryProvisioning(
  { db, nextcloudProvisioning }: AdminDeps,
  actorId: string,
  targetId: string,
  origin: AuditOrigin,
) {
  if (!nextcloudProvisioning) throw refuse("Nextcloud is not configured");
  await db.transaction(async (tx) => {
    const target = await getUser(tx, targetId);
    await requestProvisioning(tx, targetId, target.isActive);
    await recordAudit(tx, origin, {
      action: "admin.user.retry_provisioning",
      outcome: "success",
      actorId,
      targetUserId: targetId,
    });
  });
  return getUserForAdmin(db, targetId);
}
