import { existsSync } from "node:fs";
import { resolve } from "node:path";

import { loadConfig, type Config } from "./config";

/**
 * The configuration of a process started through npm (server and CLIs):
 * `.env` and `./.data/` are taken relative to the directory the user ran
 * npm from (npm sets INIT_CWD), not the workspace npm runs the script in.
 * Real environment variables win over `.env`. Throws ConfigError.
 */
export function loadProcessConfig(): Config {
  const cwd = process.env.INIT_CWD ?? process.cwd();
  const file = resolve(cwd, ".env");
  if (existsSync(file)) process.loadEnvFile(file);
  return loadConfig(process.env, cwd);
}

/** The admin CLI's password when it is not typed in (scripts, CI); read here so no other module touches the environment. */
export function adminPasswordFromEnv(): string | undefined {
  return process.env.ADMIN_PASSWORD;
}
