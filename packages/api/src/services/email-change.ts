import { and, eq, ne, sql } from "drizzle-orm";

import { isUniqueViolation, users, type Database } from "@voiceassist/db";

import { DomainError, emailTaken, userNotFound } from "../errors";
import type { Actor } from "./actor";
import { consumeAccountToken, invalidToken, issueAccountToken, voidAccountTokens } from "./account-tokens";
import { recordAudit, type AuditOrigin } from "./audit";
import { enqueueMail, type MailDeps, type MailSettings } from "./mail";
import type { PasswordHasher } from "./passwords";
import { requestProvisioning } from "./provisioning-queue";
import type { PublicUser } from "./public-user";
import { emailIs } from "./user-match";
import { getUser } from "./user-records";

const refuse = (message: string) => new DomainError("invalid_input", message);

/** Whether another account already signs in with `email` (any letter case). */
async function emailInUse(db: Database, email: string, exceptUserId: string) {
  const [row] = await db
    .select({ id: users.id })
    .from(users)
    .where(and(emailIs(email), ne(users.id, exceptUserId)))
    .limit(1);
  return Boolean(row);
}

/** Mails a confirmation link for `newEmail` to that address (older links stop working). */
async function queueConfirmation(tx: Database, settings: MailSettings, userId: string, newEmail: string) {
  const token = await issueAccountToken(tx, userId, "email_change", newEmail);
  await enqueueMail(tx, settings, { to: newEmail, userId, template: "email_change_confirm", token, newEmail });
}

/**
 * users.requestEmailChange: proves the current password, records the new
 * address as pending, mails it a confirmation link and tells the old one.
 * The sign-in email changes only on auth.confirmEmailChange.
 */
export async function requestEmailChange(
  deps: { db: Database; passwords: PasswordHasher; mail: MailDeps },
  who: Actor,
  { newEmail, currentPassword }: { newEmail: string; currentPassword: string },
  origin: AuditOrigin,
): Promise<{ pendingEmail: string }> {
  const { db, mail } = deps;
  const [row] = await db.select({ hashedPassword: users.hashedPassword, email: users.email }).from(users).where(eq(users.id, who.userId));
  if (!row) throw userNotFound();
  if (!(await deps.passwords.verify(currentPassword, row.hashedPassword))) {
    await recordAudit(db, origin, {
      action: "user.email_change.requested",
      outcome: "failure",
      actorId: who.userId,
      targetUserId: who.userId,
      detail: { reason: "wrong_current_password" },
    });
    // BAD_REQUEST, as for users.changePassword: clients must not mistake it for an expired token.
    throw refuse("Current password is incorrect");
  }
  if (row.email.toLowerCase() === newEmail.toLowerCase()) throw refuse("That is already your email address");
  if (await emailInUse(db, newEmail, who.userId)) throw emailTaken();

  await db.transaction(async (tx) => {
    await tx.update(users).set({ pendingEmail: newEmail }).where(eq(users.id, who.userId));
    await queueConfirmation(tx, mail.settings, who.userId, newEmail);
    await enqueueMail(tx, mail.settings, {
      to: row.email,
      userId: who.userId,
      template: "email_change_notice",
      newEmail,
      byAdmin: false,
    });
    await recordAudit(tx, origin, {
      action: "user.email_change.requested",
      outcome: "success",
      actorId: who.userId,
      targetUserId: who.userId,
      detail: { from: row.email, to: newEmail },
    });
  });
  mail.wake();
  return { pendingEmail: newEmail };
}

/** users.resendEmailChange: a fresh confirmation link to the pending address. */
export async function resendEmailChange(
  { db, mail }: { db: Database; mail: MailDeps },
  who: Actor,
  origin: AuditOrigin,
): Promise<{ pendingEmail: string }> {
  const pendingEmail = await db.transaction(async (tx) => {
    const user = await getUser(tx, who.userId);
    if (!user.pendingEmail) throw refuse("No email change is waiting for confirmation");
    await queueConfirmation(tx, mail.settings, who.userId, user.pendingEmail);
    await recordAudit(tx, origin, {
      action: "user.email_change.requested",
      outcome: "success",
      actorId: who.userId,
      targetUserId: who.userId,
      detail: { from: user.email, to: user.pendingEmail, resent: true },
    });
    return user.pendingEmail;
  });
  mail.wake();
  return { pendingEmail };
}

/** users.cancelEmailChange: forgets the pending address; its links stop working. */
export async function cancelEmailChange({ db }: { db: Database }, who: Actor, origin: AuditOrigin): Promise<PublicUser> {
  return db.transaction(async (tx) => {
    const before = await getUser(tx, who.userId);
    await tx.update(users).set({ pendingEmail: null }).where(eq(users.id, who.userId));
    await voidAccountTokens(tx, who.userId, "email_change");
    await recordAudit(tx, origin, {
      action: "user.update",
      outcome: "success",
      actorId: who.userId,
      targetUserId: who.userId,
      detail: { fields: ["pendingEmail"], cancelled: before.pendingEmail },
    });
    return getUser(tx, who.userId);
  });
}

/**
 * auth.confirmEmailChange: the pending address becomes the sign-in email,
 * verified by this very link. The unique index decides between two accounts
 * confirming the same address at once: one commits, the other gets CONFLICT
 * and keeps its token (its transaction rolled back).
 */
export async function confirmEmailChange(
  { db, nextcloudProvisioning }: { db: Database; nextcloudProvisioning: boolean },
  { token }: { token: string },
  origin: AuditOrigin,
): Promise<void> {
  try {
    await db.transaction(async (tx) => {
      const used = await consumeAccountToken(tx, token, "email_change");
      const [user] = await tx
        .select({ email: users.email, pendingEmail: users.pendingEmail, isActive: users.isActive })
        .from(users)
        .where(eq(users.id, used.userId))
        .for("update");
      // Cancelled, replaced by another request, or the account was deactivated meanwhile.
      if (!user?.isActive || user.pendingEmail?.toLowerCase() !== used.email.toLowerCase()) throw invalidToken();
      await tx.update(users).set({ email: used.email, pendingEmail: null, emailVerifiedAt: sql`now()` }).where(eq(users.id, used.userId));
      await voidAccountTokens(tx, used.userId, "email_change");
      // Links sent to the old address (verify, reset) no longer match the account; spend them now.
      await voidAccountTokens(tx, used.userId, "email_verify");
      await voidAccountTokens(tx, used.userId, "password_reset");
      if (nextcloudProvisioning) await requestProvisioning(tx, used.userId, true);
      await recordAudit(tx, origin, {
        action: "user.email_change",
        outcome: "success",
        actorId: used.userId,
        targetUserId: used.userId,
        detail: { from: user.email, to: used.email },
      });
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw emailTaken();
    throw error;
  }
}

/**
 * After an admin changed a user's email (users.update): the new address is
 * unverified until proven, both addresses are told, and links bound to the
 * old address or a pending change stop working. An invitee gets a fresh
 * invitation at the new address instead of a verify link.
 */
export async function applyAdminEmailChange(
  tx: Database,
  settings: MailSettings,
  before: Pick<PublicUser, "id" | "email" | "invitedAt">,
  newEmail: string,
  invitedBy: string | null,
): Promise<PublicUser> {
  await tx.update(users).set({ emailVerifiedAt: null, pendingEmail: null }).where(eq(users.id, before.id));
  for (const purpose of ["email_change", "email_verify", "password_reset", "invite"] as const)
    await voidAccountTokens(tx, before.id, purpose);
  await enqueueMail(tx, settings, { to: before.email, userId: before.id, template: "email_change_notice", newEmail, byAdmin: true });
  if (before.invitedAt) {
    const token = await issueAccountToken(tx, before.id, "invite", newEmail);
    await enqueueMail(tx, settings, { to: newEmail, userId: before.id, template: "invitation", token, invitedBy });
  } else {
    const token = await issueAccountToken(tx, before.id, "email_verify", newEmail);
    await enqueueMail(tx, settings, { to: newEmail, userId: before.id, template: "verify_email", token });
  }
  return getUser(tx, before.id);
}
