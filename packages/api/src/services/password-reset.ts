import { createHash, randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";

import { eq, sql } from "drizzle-orm";

import { users, type Database } from "@voiceassist/db";

import { DomainError } from "../errors";
import type { Actor } from "./actor";
import { consumeAccountToken, invalidToken, issueAccountToken, peekAccountToken } from "./account-tokens";
import { recordAudit, type AuditOrigin } from "./audit";
import { clearLoginFailures } from "./login-failures";
import { enqueueMail, type MailDeps, type MailSettings } from "./mail";
import type { PasswordHasher } from "./passwords";
import { assertAcceptablePassword } from "./password-policy";
import { advanceCredentials, revokeUserSessions } from "./sessions";
import { emailIs } from "./user-match";

/**
 * requestPasswordReset answers no sooner than this, known account or not:
 * the work of either path stays well below it, so timing tells nothing.
 */
export const RESET_REQUEST_FLOOR_MS = 250;

interface ResetTarget {
  id: string;
  email: string;
  hasPassword: boolean;
  invitedAt: Date | null;
}

const targetColumns = {
  id: users.id,
  email: users.email,
  hasPassword: sql<boolean>`${users.hashedPassword} is not null`,
  invitedAt: users.invitedAt,
  isActive: users.isActive,
};

/**
 * Queues the mail that lets the user set a password: a reset link, or for
 * an invitation not yet accepted, a fresh invitation (the invitee has no
 * password to reset). Older links of that kind stop working.
 */
async function queueResetMail(tx: Database, settings: MailSettings, user: ResetTarget, invitedBy: string | null = null) {
  if (user.invitedAt && !user.hasPassword) {
    const token = await issueAccountToken(tx, user.id, "invite", user.email);
    await enqueueMail(tx, settings, { to: user.email, userId: user.id, template: "invitation", token, invitedBy });
    return;
  }
  const token = await issueAccountToken(tx, user.id, "password_reset", user.email);
  await enqueueMail(tx, settings, { to: user.email, userId: user.id, template: "password_reset", token });
}

/**
 * auth.requestPasswordReset: the same answer, after about the same time,
 * whether or not the account exists. Both paths run one transaction with
 * a lookup, a token made and hashed, and an audit event; the answer waits
 * for a fixed floor that both stay under.
 */
export async function requestPasswordReset(
  { db, mail }: { db: Database; mail: MailDeps },
  { email }: { email: string },
  origin: AuditOrigin,
): Promise<void> {
  const started = performance.now();
  try {
    const queued = await db.transaction(async (tx) => {
      const [user] = await tx.select(targetColumns).from(users).where(emailIs(email)).limit(1);
      const eligible = user?.isActive === true;
      if (eligible) await queueResetMail(tx, mail.settings, user);
      // The unknown path makes and hashes a token too, so both do the same CPU work.
      else createHash("sha256").update(randomBytes(32).toString("base64url")).digest("hex");
      await recordAudit(tx, origin, {
        action: "auth.password_reset.requested",
        outcome: "success",
        targetUserId: user?.id ?? null,
        detail: { email, mailed: eligible },
      });
      return eligible;
    });
    if (queued) mail.wake();
  } finally {
    const left = RESET_REQUEST_FLOOR_MS - (performance.now() - started);
    if (left > 0) await sleep(left);
  }
}

/**
 * auth.resetPassword: spends the token, sets the password, ends every
 * session (the credentials version moves on), lifts ACCOUNT_LOCKED, marks
 * the address verified (the link proved it) and mails "password changed".
 */
export async function resetPassword(
  deps: { db: Database; passwords: PasswordHasher; mail: MailDeps },
  { token, newPassword }: { token: string; newPassword: string },
  origin: AuditOrigin,
): Promise<void> {
  const { db, mail } = deps;
  try {
    // Checked before bcrypt runs: a bad token costs no hash, and the policy needs the account's email.
    const peeked = await peekAccountToken(db, token, "password_reset");
    assertAcceptablePassword(newPassword, peeked.email);
    const hashedPassword = await deps.passwords.hash(newPassword);
    await db.transaction(async (tx) => {
      const used = await consumeAccountToken(tx, token, "password_reset");
      const [user] = await tx
        .select({ email: users.email, isActive: users.isActive })
        .from(users)
        .where(eq(users.id, used.userId))
        .for("update");
      // The link went to an address the account no longer uses, or the account was deactivated meanwhile.
      if (!user?.isActive || user.email.toLowerCase() !== used.email.toLowerCase()) throw invalidToken();
      await tx
        .update(users)
        .set({ hashedPassword, emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, now())` })
        .where(eq(users.id, used.userId));
      await advanceCredentials(tx, used.userId);
      await revokeUserSessions(tx, used.userId, "password_reset");
      await clearLoginFailures(tx, user.email);
      await enqueueMail(tx, mail.settings, { to: user.email, userId: used.userId, template: "password_changed" });
      await recordAudit(tx, origin, {
        action: "auth.password_reset",
        outcome: "success",
        actorId: used.userId,
        targetUserId: used.userId,
      });
    });
    mail.wake();
  } catch (error) {
    if (error instanceof DomainError && error.reason === "INVALID_TOKEN") {
      await recordAudit(db, origin, { action: "auth.password_reset", outcome: "failure", detail: { reason: "invalid_token" } });
    }
    throw error;
  }
}

/** users.sendPasswordReset (admin): mails the user a reset link (or, if still invited, a fresh invitation). */
export async function adminSendPasswordReset(
  { db, mail }: { db: Database; mail: MailDeps },
  actor: Actor,
  { id }: { id: string },
  origin: AuditOrigin,
): Promise<void> {
  await db.transaction(async (tx) => {
    const [user] = await tx.select(targetColumns).from(users).where(eq(users.id, id)).limit(1);
    if (!user) throw new DomainError("not_found", "User not found");
    if (!user.isActive) throw new DomainError("invalid_input", "The user is deactivated; activate the account first");
    const [admin] = await tx.select({ fullName: users.fullName, email: users.email }).from(users).where(eq(users.id, actor.userId));
    await queueResetMail(tx, mail.settings, user, admin?.fullName ?? admin?.email ?? null);
    await recordAudit(tx, origin, {
      action: "admin.user.send_password_reset",
      outcome: "success",
      actorId: actor.userId,
      targetUserId: id,
    });
  });
  mail.wake();
}
