import { parseArgs } from "node:util";

import { findUserByEmail, resetUserMfa } from "@voiceassist/api";
import { emailSchema } from "@voiceassist/shared";
import { safeErrorMessage } from "@voiceassist/db";

import { ConfigError } from "../config";
import { mailSettingsFrom, openConfiguredDatabase } from "../deps";
import { loadProcessConfig } from "../env-file";

const USAGE = "usage: npm run admin:reset-mfa -- --email <email>";

/**
 * Removes every second factor of one account and ends its sessions: the way
 * back in for an admin locked out of their own factors (the API refuses to
 * reset the caller's own). Audited as admin.user.reset_mfa with no actor.
 * The user's notice is queued in the outbox; the running server's mail
 * worker delivers it on its next poll.
 */
async function main() {
  const { values } = parseArgs({ options: { email: { type: "string" } } });
  const email = emailSchema.safeParse(values.email ?? "");
  if (!email.success) throw new UsageError(`${email.error.issues[0]?.message ?? "invalid email"}\n${USAGE}`);

  const config = loadProcessConfig();
  const database = await openConfiguredDatabase(config);
  try {
    const existing = await findUserByEmail(database.db, email.data);
    if (!existing) throw new UsageError(`no account with the email ${email.data}`);
    const user = await resetUserMfa(
      database.db,
      null,
      { id: existing.id },
      { ip: null, userAgent: "admin:reset-mfa", requestId: null },
      // No worker in this process to wake.
      { settings: mailSettingsFrom(config), wake: () => undefined },
    );
    console.log(`reset the second factors of ${user.email} (${user.id}); every session signed out`);
  } finally {
    await database.close();
  }
}

class UsageError extends Error {}

main().catch((error: unknown) => {
  const known = error instanceof UsageError || error instanceof ConfigError;
  console.error(known ? (error as Error).message : `admin:reset-mfa failed: ${safeErrorMessage(error)}`);
  process.exit(1);
});
