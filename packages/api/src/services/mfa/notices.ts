import { eq } from "drizzle-orm";

import { users, type Database } from "@voiceassist/db";

import { userNotFound } from "../../errors";
import { enqueueMail, type MailSettings, type MailTemplate, type MfaChange } from "../mail";

/** Every change to a user's second factors that the user is told about by mail. */
export type MfaNotice = MfaChange | { kind: "mfa_reset_by_admin" } | { kind: "mfa_reset_by_cli" };

const templateFor = (notice: MfaNotice): MailTemplate => {
  if (notice.kind === "mfa_reset_by_admin") return { template: "mfa_reset", by: "admin" };
  if (notice.kind === "mfa_reset_by_cli") return { template: "mfa_reset", by: "cli" };
  return { template: "mfa_changed", change: notice };
};

/**
 * Queues the mail that tells the user about a change to their second factors.
 * Call it with the transaction that makes the change: the mail exists exactly
 * when the change commits. The caller wakes the mail worker after the commit.
 */
export async function tellUserAboutMfa(tx: Database, mail: MailSettings, userId: string, notice: MfaNotice): Promise<void> {
  const [user] = await tx.select({ email: users.email }).from(users).where(eq(users.id, userId));
  if (!user) throw userNotFound();
  await enqueueMail(tx, mail, { to: user.email, userId, ...templateFor(notice) });
}
