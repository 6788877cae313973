import { eq, sql } from "drizzle-orm";

import { users, type Database } from "@voiceassist/db";

import type { Actor } from "./actor";
import { consumeAccountToken, invalidToken, issueAccountToken } from "./account-tokens";
import { recordAudit, type AuditOrigin } from "./audit";
import { enqueueMail, type MailDeps, type MailSettings } from "./mail";
import { getUser } from "./user-records";

const sameAddress = (a: string | null | undefined, b: string) => (a ?? "").toLowerCase() === b.toLowerCase();

/** Queues the verify-address mail for `user.email` in the caller's transaction (older links stop working). */
export async function queueVerificationMail(tx: Database, settings: MailSettings, user: { id: string; email: string }) {
  const token = await issueAccountToken(tx, user.id, "email_verify", user.email);
  await enqueueMail(tx, settings, { to: user.email, userId: user.id, template: "verify_email", token });
}

/** auth.verifyEmail: spends the token and records when the address was proven (kept if already set). */
export async function verifyEmail({ db }: { db: Database }, { token }: { token: string }, origin: AuditOrigin): Promise<void> {
  await db.transaction(async (tx) => {
    const used = await consumeAccountToken(tx, token, "email_verify");
    const [user] = await tx
      .select({ email: users.email, isActive: users.isActive })
      .from(users)
      .where(eq(users.id, used.userId))
      .for("update");
    // A link mailed to an address the account no longer uses proves nothing about the current one.
    if (!user?.isActive || !sameAddress(user.email, used.email)) throw invalidToken();
    await tx
      .update(users)
      .set({ emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, now())` })
      .where(eq(users.id, used.userId));
    await recordAudit(tx, origin, {
      action: "auth.email.verified",
      outcome: "success",
      actorId: used.userId,
      targetUserId: used.userId,
    });
  });
}

/** auth.resendVerification: a fresh link to the signed-in user's address; nothing when it is already verified. */
export async function resendVerification({ db, mail }: { db: Database; mail: MailDeps }, { userId }: Actor): Promise<void> {
  const queued = await db.transaction(async (tx) => {
    const user = await getUser(tx, userId);
    if (user.emailVerifiedAt) return false;
    await queueVerificationMail(tx, mail.settings, user);
    return true;
  });
  if (queued) mail.wake();
}
