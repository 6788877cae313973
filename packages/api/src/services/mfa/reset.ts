import { eq } from "drizzle-orm";

import { mfaChallenges, mfaTotp, passkeys, users, webauthnChallenges, type Database } from "@voiceassist/db";

import { DomainError, userNotFound } from "../../errors";
import type { Actor } from "../actor";
import { recordAudit, type AuditOrigin } from "../audit";
import { publicUserColumns, type PublicUser } from "../public-user";
import { advanceCredentials, revokeUserSessions } from "../sessions";
import { deleteBackupCodes } from "./backup-codes";
import { tellUserAboutMfa } from "./notices";

/**
 * Removes every second factor of a locked-out user (TOTP, backup codes,
 * passkeys, pending sign-in challenges) and ends all their sessions, in one
 * transaction. `by` is the admin, or null for the command line.
 */
export async function resetUserMfa(db: Database, by: Actor | null, target: { id: string }, origin: AuditOrigin): Promise<PublicUser> {
  // The panel cannot reset its caller's own factors: an admin locked out of them uses the CLI.
  if (by && by.userId === target.id) {
    throw new DomainError("invalid_input", "You cannot reset your own second factors here; use mfa.* or `npm run admin:reset-mfa`");
  }
  return db.transaction(async (tx) => {
    const [locked] = await tx.select({ id: users.id }).from(users).where(eq(users.id, target.id)).for("update");
    if (!locked) throw userNotFound();
    const removed = {
      totp: (await tx.delete(mfaTotp).where(eq(mfaTotp.userId, target.id)).returning({ id: mfaTotp.userId })).length > 0,
      passkeys: (await tx.delete(passkeys).where(eq(passkeys.userId, target.id)).returning({ id: passkeys.id })).length,
    };
    await deleteBackupCodes(tx, target.id);
    await tx.delete(mfaChallenges).where(eq(mfaChallenges.userId, target.id));
    await tx.delete(webauthnChallenges).where(eq(webauthnChallenges.userId, target.id));
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
    await tellUserAboutMfa(tx, target.id, { kind: by ? "mfa_reset_by_admin" : "mfa_reset_by_cli" });
    return user;
  });
}
