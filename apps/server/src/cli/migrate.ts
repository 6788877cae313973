import { ConfigError, loadConfig } from "../config";
import { openConfiguredDatabase } from "../deps";
import { invocationDir, loadDotEnv } from "../env-file";

/** `npm run db:migrate`: applies pending migrations; any failure exits non-zero. */
async function main() {
  const cwd = invocationDir();
  loadDotEnv(cwd);
  const config = loadConfig(process.env, cwd);
  const database = await openConfiguredDatabase(config);
  console.log(`migrations applied (${database.driver})`);
  await database.close();
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : `Migration failed: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
