import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { resolve } from "node:path";

import { loadConfig, type Config } from "./config";
import { persistentDataKey, persistentDevSecret } from "./dev-secret";

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
 * The API server's configuration: as above, and outside production the keys it was not
 * given, kept in the data directory: the signing key without JWT_SECRET (production refuses
 * to start without one, see config.ts) and the key for secrets at rest without
 * DATA_ENCRYPTION_KEY. Only the server signs tokens and seals secrets, so only it makes
 * those files; the CLIs do not.
 */
export function loadServerConfig(root: string = REPO_ROOT): Config {
  let config = loadProcessConfig(root);
  const dataDir = resolve(root, config.DATA_DIR);
  if (config.ephemeralSecret) config = { ...config, jwtSecret: persistentDevSecret(dataDir), ephemeralSecret: false };
  if (config.dataKeys.ephemeral && config.dataKeys.current) {
    const current = { version: config.dataKeys.current.version, key: persistentDataKey(dataDir) };
    config = { ...config, dataKeys: { ...config.dataKeys, current, ephemeral: false } };
  }
  return config;
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
    viteWebUrl: process.env.VITE_WEB_URL || undefined,
    /** What turbo and its tasks inherit (npm's PATH included). */
    inherited: { ...process.env },
  };
}
