import { and, eq, ne } from "drizzle-orm";

import { users, type Database } from "@voiceassist/db";

import { DomainError } from "../errors";
import { recordAudit, type AuditOrigin } from "./audit";
import { requestProvisioning } from "./provisioning-queue";
import type { PublicUser } from "./public-user";
import { revokeUserSessions } from "./sessions";
import { getUser, writeUser, type UserChanges } from "./users";

const refuse = (message: string) => new DomainError("invalid_input", message);

/**
 * Refuses changes that would leave no active admin. Locks the active admin
 * rows first, so two admins demoting each other at once cannot both pass.
 */
async function assertAnotherActiveAdmin(tx: Database, targetId: string) {
  const others = await tx
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.isAdmin, true), eq(users.isActive, true), ne(users.id, targetId)))
    .for("update");
  if (others.length === 0) throw refuse("The last active admin cannot be removed");
}

const removesAdmin = (target: PublicUser, changes: UserChanges) =>
  target.isAdmin && target.isActive && (changes.isAdmin === false || changes.isActive === false);

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
    const target = await getUser(tx, targetId);
    if (removesAdmin(target, changes)) await assertAnotherActiveAdmin(tx, targetId);
    const updated = await writeUser(tx, targetId, changes);
    if (changes.isActive === false) await revokeUserSessions(tx, targetId, "deactivated");
    if (nextcloudProvisioning && changes.isActive !== undefined && changes.isActive !== target.isActive) {
      await requestProvisioning(tx, targetId, changes.isActive);
    }
    return updated;
  });
  await recordAudit(db, origin, {
    action: "admin.user.update",
    outcome: "success",
    actorId,
    targetUserId: targetId,
    detail: { changes: { ...changes } },
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
    const target = await getUser(tx, targetId);
    if (removesAdmin(target, { isActive: false })) await assertAnotherActiveAdmin(tx, targetId);
    const updated = target.isActive ? await writeUser(tx, targetId, { isActive: false }) : target;
    await revokeUserSessions(tx, targetId, "deleted");
    if (nextcloudProvisioning && target.isActive) await requestProvisioning(tx, targetId, false);
    return updated;
  });
  await recordAudit(db, origin, { action: "admin.user.delete", outcome: "success", actorId, targetUserId: targetId });
  return user;
}
