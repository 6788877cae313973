import { parseArgs } from "node:util";

import { createAdmin, createPasswordHasher, findUserByEmail, promoteToAdmin } from "@voiceassist/api";
import { emailSchema, passwordSchema } from "@voiceassist/shared";

import { ConfigError } from "../config";
import { openConfiguredDatabase } from "../deps";
import { adminPasswordFromEnv, loadProcessConfig } from "../env-file";
import { readSecret } from "./read-secret";
import { safeErrorMessage } from "@voiceassist/db";

const USAGE = "usage: npm run admin:create -- --email <email> [--name <full name>]  (password: stdin or ADMIN_PASSWORD)";

/**
 * Creates an admin, or promotes an existing user. The password is never a
 * command-line argument (it would show in `ps` and shell history).
 */
async function main() {
  const { values } = parseArgs({ options: { email: { type: "string" }, name: { type: "string" } } });
  const email = emailSchema.safeParse(values.email ?? "");
  if (!email.success) throw new UsageError(`${email.error.issues[0]?.message ?? "invalid email"}\n${USAGE}`);

  const config = loadProcessConfig();
  const database = await openConfiguredDatabase(config);
  // Same rule as the server: with Nextcloud configured every new or reactivated user is queued.
  const nextcloudProvisioning = Boolean(config.NEXTCLOUD_URL && config.NEXTCLOUD_ADMIN_USER && config.NEXTCLOUD_ADMIN_PASSWORD);
  try {
    const existing = await findUserByEmail(database.db, email.data);
    if (existing) {
      const user = await promoteToAdmin(database.db, existing, { nextcloudProvisioning });
      console.log(`promoted ${user.email} (${user.id}) to admin; password unchanged`);
      return;
    }
    const raw = adminPasswordFromEnv() ?? (await readSecret(`Password for ${email.data}: `));
    const password = passwordSchema.safeParse(raw);
    if (!password.success) throw new UsageError(password.error.issues[0]?.message ?? "invalid password");
    const passwords = createPasswordHasher(config.BCRYPT_ROUNDS);
    const user = await createAdmin(
      { db: database.db, passwords, nextcloudProvisioning },
      {
        email: email.data,
        password: password.data,
        fullName: values.name?.trim() || null,
      },
    );
    console.log(`created admin ${user.email} (${user.id})`);
  } finally {
    await database.close();
  }
}

class UsageError extends Error {}

main().catch((error: unknown) => {
  const known = error instanceof UsageError || error instanceof ConfigError;
  console.error(known ? (error as Error).message : `admin:create failed: ${safeErrorMessage(error)}`);
  process.exit(1);
});
