import { parseArgs } from "node:util";

import { createPasswordHasher, ensureAdmin, type EnsureAdminInput, type EnsureAdminOutcome } from "@voiceassist/api";
import { emailSchema, passwordSchema } from "@voiceassist/shared";

import { ConfigError, type Config } from "../config";
import { openConfiguredDatabase } from "../deps";
import { adminPasswordFromEnv, loadProcessConfig } from "../env-file";
import { askServer, DevChannelError, runningServer } from "./dev-channel-client";
import { readSecret } from "./read-secret";
import { safeErrorMessage } from "@voiceassist/db";

const USAGE = "usage: npm run admin:create -- --email <email> [--name <full name>]  (password: stdin or ADMIN_PASSWORD)";

/** What the CLI prints for each outcome (the server's and the local path's are the same). */
type Answer = { outcome: EnsureAdminOutcome["outcome"]; user?: { id: string; email: string } };
type Ensure = ((request: EnsureAdminInput) => Promise<Answer>) & { close(): Promise<void> };

/**
 * Creates an admin, or promotes an existing user. The password is never a
 * command-line argument (it would show in `ps` and shell history), and is
 * asked for only when the account does not exist yet. With the embedded
 * database held by a running development server (`npm start`), the server
 * does the work over its dev channel (see dev-channel.ts); otherwise the CLI
 * opens the database itself.
 */
async function main() {
  const { values } = parseArgs({ options: { email: { type: "string" }, name: { type: "string" } } });
  const email = emailSchema.safeParse(values.email ?? "");
  if (!email.success) throw new UsageError(`${email.error.issues[0]?.message ?? "invalid email"}\n${USAGE}`);
  const input: EnsureAdminInput = { email: email.data, fullName: values.name?.trim() || null };

  const config = loadProcessConfig();
  const server = await runningServer(config);
  const ensure: Ensure = server
    ? Object.assign((request: EnsureAdminInput) => askServer<Answer>(config, "/admin", request), { close: async () => {} })
    : await localEnsure(config);
  try {
    let answer = await ensure(input);
    if (answer.outcome === "needs-password") answer = await ensure({ ...input, password: await newPassword(email.data) });
    report(answer, server?.pid);
  } finally {
    await ensure.close();
  }
}

/** ensureAdmin on a database this process opens (Postgres, or PGlite nobody else holds). */
async function localEnsure(config: Config): Promise<Ensure> {
  const database = await openConfiguredDatabase(config);
  // Same rule as the server: with Nextcloud configured every new or reactivated user is queued.
  const nextcloudProvisioning = Boolean(config.NEXTCLOUD_URL && config.NEXTCLOUD_ADMIN_USER && config.NEXTCLOUD_ADMIN_PASSWORD);
  const passwords = createPasswordHasher(config.BCRYPT_ROUNDS);
  const ensure = async (request: EnsureAdminInput): Promise<Answer> => {
    const result = await ensureAdmin({ db: database.db, passwords, nextcloudProvisioning, via: "cli" }, request);
    return { outcome: result.outcome, user: "user" in result ? { id: result.user.id, email: result.user.email } : undefined };
  };
  return Object.assign(ensure, { close: () => database.close() });
}

async function newPassword(email: string): Promise<string> {
  const raw = adminPasswordFromEnv() ?? (await readSecret(`Password for ${email}: `));
  const password = passwordSchema.safeParse(raw);
  if (!password.success) throw new UsageError(password.error.issues[0]?.message ?? "invalid password");
  return password.data;
}

function report(answer: Answer, serverPid: number | undefined) {
  const who = answer.user ? `${answer.user.email} (${answer.user.id})` : "";
  const via = serverPid ? ` (through the running server, process ${serverPid})` : "";
  switch (answer.outcome) {
    case "created":
      return console.log(`created admin ${who}${via}`);
    case "promoted":
      return console.log(`promoted ${who} to admin; password unchanged${via}`);
    case "unchanged":
      return console.log(`${who} is already an admin; nothing changed`);
    case "deleted":
      throw new UsageError(`${who} is a deleted account; restore it in the admin panel (or erase it) first`);
    default:
      throw new UsageError("no password was given for the new account");
  }
}

class UsageError extends Error {}

main().catch((error: unknown) => {
  const known = error instanceof UsageError || error instanceof ConfigError || error instanceof DevChannelError;
  console.error(known ? (error as Error).message : `admin:create failed: ${safeErrorMessage(error)}`);
  process.exit(1);
});
