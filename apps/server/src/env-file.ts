import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { resolve } from "node:path";

import { loadConfig, type Config } from "./config";
import { persistentDevSecret } from "./dev-secret";

/**
 * The repository root (or the image's /app): three levels above this file
 * (apps/server/src). Found from the code's own location because npm and
 * turbo run scripts inside the workspace, so neither the working directory
 * nor INIT_CWD says where the user stands.
 */
export const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/**
 * The configuration of a process started through npm (server and CLIs).
 * `.env` and a relative `DATA_DIR` are taken from the repository root, so
 * `npm start`, `npm run start:server` and `npm run admin:create` all read one
 * file and open one database, from whichever directory they were started.
 * Real environment variables win over `.env`. Throws ConfigError.
 */
export function loadProcessConfig(root: string = REPO_ROOT): Config {
  const file = resolve(root, ".env");
  if (existsSync(file)) process.loadEnvFile(file);
  return loadConfig(process.env, root);
}

/**
 * The API server's configuration: as above, and outside production without JWT_SECRET
 * the signing key kept in the data directory (production refuses to start without one,
 * see config.ts). Only the server signs tokens, so only it makes that file; the CLIs do not.
 */
export function loadServerConfig(root: string = REPO_ROOT): Config {
  const config = loadProcessConfig(root);
  if (!config.ephemeralSecret) return config;
  return { ...config, jwtSecret: persistentDevSecret(resolve(root, config.DATA_DIR)), ephemeralSecret: false };
}

/** The admin CLI's password when it is not typed in (scripts, CI); read here so no other module touches the environment. */
export function adminPasswordFromEnv(): string | undefined {
  return process.env.ADMIN_PASSWORD;
}

/**
 * What `npm start` (cli/dev-stack.ts) needs beyond the API's configuration: the two apps'
 * ports, and whether mail goes to the development mailbox (no SMTP_URL: nothing is sent).
 */
export function devStackEnv() {
  return {
    webPort: Number(process.env.WEB_PORT || 3000),
    adminPort: Number(process.env.ADMIN_PORT || 3001),
    devMailbox: !process.env.SMTP_URL,
    corsOriginsSet: Boolean(process.env.CORS_ORIGINS),
    viteApiUrl: process.env.VITE_API_URL || undefined,
    /** What turbo and its tasks inherit (npm's PATH included). */
    inherited: { ...process.env },
  };
}
