import { ensureAdmin, type ApiDeps } from "@voiceassist/api";

import type { Config } from "./config";

/**
 * FIRST_ADMIN_EMAIL + FIRST_ADMIN_PASSWORD: at every start the account is made an active
 * admin (created if missing, promoted if not one), so a deployment gets its first admin
 * without a shell. Idempotent: an active admin is left alone and nothing is audited.
 * The password is never logged; an existing account keeps its own.
 */
export async function bootstrapFirstAdmin(config: Config, deps: ApiDeps): Promise<void> {
  const email = config.FIRST_ADMIN_EMAIL;
  const password = config.FIRST_ADMIN_PASSWORD;
  if (!email || !password) return;
  const result = await ensureAdmin(
    { db: deps.db, passwords: deps.passwords, nextcloudProvisioning: deps.nextcloudProvisioning, via: "startup" },
    { email, password },
  );
  switch (result.outcome) {
    case "created":
    case "promoted":
      deps.logger.info({ email, userId: result.user.id }, `FIRST_ADMIN_EMAIL: admin ${result.outcome}`);
      return;
    case "deleted":
      // Someone deleted it on purpose: bringing it back at every restart would undo them.
      deps.logger.warn({ email, userId: result.user.id }, "FIRST_ADMIN_EMAIL names a deleted account; left deleted");
      return;
    default:
      return;
  }
}
