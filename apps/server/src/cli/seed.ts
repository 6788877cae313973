import { createPasswordHasher } from "@voiceassist/api";
import { safeErrorMessage } from "@voiceassist/db";

import { ConfigError } from "../config";
import { openConfiguredDatabase } from "../deps";
import { loadProcessConfig } from "../env-file";
import { seedDemoClinic, SeedRefused, type SeedResult } from "../seed/demo-clinic";
import { askServer, DevChannelError, runningServer } from "./dev-channel-client";

/**
 * `npm run db:seed`: a demo clinic in an empty database (see seed/demo-clinic.ts),
 * through the running development server when it holds the embedded database.
 * Prints the admin's password, once.
 */
async function main() {
  const config = loadProcessConfig();
  let result: SeedResult;
  if (await runningServer(config)) {
    result = await askServer<SeedResult>(config, "/seed", {});
  } else {
    const database = await openConfiguredDatabase(config);
    try {
      result = await seedDemoClinic(database.db, createPasswordHasher(config.BCRYPT_ROUNDS));
    } finally {
      await database.close();
    }
  }
  const { staff } = result;
  console.log(
    [
      "Seeded a demo clinic:",
      `  admin           ${result.admin.email}   password: ${result.admin.password}`,
      `  staff           ${staff.active} active, ${staff.inactive} inactive, ${staff.invited} invited, ${staff.deleted} deleted   password: ${result.staffPassword}`,
      `  audit events    ${result.auditEvents}`,
      "These passwords are shown only now.",
    ].join("\n"),
  );
}

main().catch((error: unknown) => {
  const known = error instanceof SeedRefused || error instanceof ConfigError || error instanceof DevChannelError;
  console.error(known ? `db:seed: ${(error as Error).message}` : `db:seed failed: ${safeErrorMessage(error)}`);
  process.exit(1);
});
