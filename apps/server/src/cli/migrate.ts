import { ConfigError } from "../config";
import { openConfiguredDatabase } from "../deps";
import { loadProcessConfig } from "../env-file";
import { safeErrorMessage } from "@voiceassist/db";

/** `npm run db:migrate`: applies pending migrations; any failure exits non-zero. */
async function main() {
  const config = loadProcessConfig();
  const database = await openConfiguredDatabase(config);
  console.log(`migrations applied (${database.driver})`);
  await database.close();
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : `Migration failed: ${safeErrorMessage(error)}`);
  process.exit(1);
});
