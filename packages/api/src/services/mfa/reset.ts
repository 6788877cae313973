import { eq } from "drizzle-orm";

import { mfaChallenges, mfaTotp, passkeys, users, webauthnChallenges, type Database } from "@voiceassist/db";

import { DomainError, userNotFound } from "../../errors";
import type { Actor } from "../actor";
import { recordAudit, type AuditOrigin } from "../audit";
import { publicUserColumns, type PublicUser } from "../public-user";
import { advanceCredentials, revokeUserSessions } from "../sessions";
import type { MailDeps } from "../mail";
import { deleteBackupCodes } from "./backup-codes";
import { tellUserAboutMfa } from "./notices";

/**
 * Removes every second factor of a locked-out user (TOTP, backup codes,
 * passkeys, pending sign-in challenges) and ends all their sessions, in one
 * transaction. `by` is the admin, or null for the command line. The user is
 * told by mail through the outbox, in the same transaction.
 */
export async function resetUserMfa(
  db: Database,
  by: Actor | null,
  target: { id: string },
  origin: AuditOrigin,
  mail: MailDeps,
): Promise<PublicUser> {
  // The panel cannot reset its caller's own factors: an admin locked out of them uses the CLI.
  if (by && by.userId === target.id) {
    throw new DomainError("invalid_input", "You cannot reset your own second factors here; use mfa.* or `npm run admin:reset-mfa`");
  }
  const user = await db.transaction(async (tx) => {
    const [locked] = await tx.select({ id: users.id }).from(users).where(eq(users.id, target.id)).for("update");
    if (!locked) throw userNotFound();
    const removed = await removeSecondFactors(tx, target.id);
    await advanceCredentials(tx, target.id);
    await revokeUserSessions(tx, target.id, "mfa_reset");
    const [user] = await tx.update(users).set({ mfaEnabled: false }).where(eq(users.id, target.id)).returning(publicUserColumns);
    if (!user) throw userNotFound();
    await recordAudit(tx, origin, {
      action: "admin.user.reset_mfa",
      outcome: "success",
      actorId: by?.userId ?? null,
      targetUserId: target.id,
      detail: { ...removed, via: by ? "api" : "cli" },
    });
    await tellUserAboutMfa(tx, mail.settings, target.id, { kind: by ? "mfa_reset_by_admin" : "mfa_reset_by_cli" });
    return user;
  });
  mail.wake();
  return user;
}

/** Deletes every stored second factor of a user and their pending ceremonies (a reset, or an erasure). */
export async function removeSecondFactors(tx: Database, userId: string): Promise<{ totp: boolean; passkeys: number }> {
  const removed = {
    totp: (await tx.delete(mfaTotp).where(eq(mfaTotp.userId, userId)).returning({ id: mfaTotp.userId })).length > 0,
    passkeys: (await tx.delete(passkeys).where(eq(passkeys.userId, userId)).returning({ id: passkeys.id })).length,
  };
  await deleteBackupCodes(tx, userId);
  await tx.delete(mfaChallenges).where(eq(mfaChallenges.userId, userId));
  await tx.delete(webauthnChallenges).where(eq(webauthnChallenges.userId, userId));
  return removed;
}
