import { eq, sql } from "drizzle-orm";

import { isUniqueViolation, users, type Database } from "@voiceassist/db";

import { emailTaken } from "../errors";
import type { Actor } from "./actor";
import { consumeAccountToken, invalidToken, issueAccountToken, peekAccountToken } from "./account-tokens";
import { lockAdminsAsActor } from "./admin-users";
import { recordAudit, type AuditOrigin } from "./audit";
import { enqueueMail, type MailDeps } from "./mail";
import type { PasswordHasher } from "./passwords";
import { assertAcceptablePassword } from "./password-policy";
import { requestProvisioning } from "./provisioning-queue";
import { publicUserColumns, type PublicUser } from "./public-user";
import { emailIs } from "./user-match";

/**
 * users.invite (admin): creates an account with no password and mails an
 * invitation (72 hours). Inviting an address that is still only invited
 * sends a fresh invitation (the old link stops working); any other existing
 * account is a CONFLICT.
 */
export async function inviteUser(
  { db, mail }: { db: Database; mail: MailDeps },
  actor: Actor,
  input: { email: string; fullName?: string | null; isAdmin?: boolean },
  origin: AuditOrigin,
): Promise<PublicUser> {
  try {
    const user = await db.transaction(async (tx) => {
      // Re-checked under the admins' lock: an admin demoted meanwhile invites no one (and no admin).
      await lockAdminsAsActor(tx, actor.userId);
      const [existing] = await tx
        .select({ id: users.id, invitedAt: users.invitedAt, hasPassword: sql<boolean>`${users.hashedPassword} is not null` })
        .from(users)
        .where(emailIs(input.email))
        .for("update");
      if (existing && (!existing.invitedAt || existing.hasPassword)) throw emailTaken();
      const fields = {
        ...(input.fullName !== undefined ? { fullName: input.fullName } : {}),
        ...(input.isAdmin !== undefined ? { isAdmin: input.isAdmin } : {}),
      };
      const [invited] = existing
        ? await tx
            .update(users)
            .set({ ...fields, invitedAt: sql`now()` })
            .where(eq(users.id, existing.id))
            .returning(publicUserColumns)
        : await tx
            .insert(users)
            .values({ email: input.email, hashedPassword: null, invitedAt: sql`now()`, ...fields })
            .returning(publicUserColumns);
      if (!invited) throw new Error("invitation wrote no row");
      const [admin] = await tx.select({ fullName: users.fullName, email: users.email }).from(users).where(eq(users.id, actor.userId));
      const token = await issueAccountToken(tx, invited.id, "invite", invited.email);
      await enqueueMail(tx, mail.settings, {
        to: invited.email,
        userId: invited.id,
        template: "invitation",
        token,
        invitedBy: admin?.fullName ?? admin?.email ?? null,
      });
      await recordAudit(tx, origin, {
        action: "admin.user.invite",
        outcome: "success",
        actorId: actor.userId,
        targetUserId: invited.id,
        detail: { email: invited.email, isAdmin: invited.isAdmin, resent: Boolean(existing) },
      });
      return invited;
    });
    mail.wake();
    return user;
  } catch (error) {
    if (isUniqueViolation(error)) throw emailTaken();
    throw error;
  }
}

/**
 * auth.acceptInvite: spends the invitation, sets the password (and name),
 * and the account can sign in from then on. The invitation proved the
 * address, so it counts as verified.
 */
export async function acceptInvite(
  deps: { db: Database; passwords: PasswordHasher; nextcloudProvisioning: boolean },
  input: { token: string; password: string; fullName?: string | null },
  origin: AuditOrigin,
): Promise<PublicUser> {
  const { db } = deps;
  const peeked = await peekAccountToken(db, input.token, "invite");
  assertAcceptablePassword(input.password, peeked.email);
  const hashedPassword = await deps.passwords.hash(input.password);
  return db.transaction(async (tx) => {
    const used = await consumeAccountToken(tx, input.token, "invite");
    const [user] = await tx
      .select({
        email: users.email,
        isActive: users.isActive,
        invitedAt: users.invitedAt,
        hasPassword: sql<boolean>`${users.hashedPassword} is not null`,
      })
      .from(users)
      .where(eq(users.id, used.userId))
      .for("update");
    if (!user?.isActive || !user.invitedAt || user.hasPassword || user.email.toLowerCase() !== used.email.toLowerCase()) {
      throw invalidToken();
    }
    const [accepted] = await tx
      .update(users)
      .set({
        hashedPassword,
        invitedAt: null,
        emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, now())`,
        ...(input.fullName !== undefined ? { fullName: input.fullName } : {}),
      })
      .where(eq(users.id, used.userId))
      .returning(publicUserColumns);
    if (!accepted) throw invalidToken();
    if (deps.nextcloudProvisioning) await requestProvisioning(tx, accepted.id, true);
    await recordAudit(tx, origin, {
      action: "auth.invite.accepted",
      outcome: "success",
      actorId: accepted.id,
      targetUserId: accepted.id,
    });
    return accepted;
  });
}
