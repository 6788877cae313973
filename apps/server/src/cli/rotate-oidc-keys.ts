import { existsSync } from "node:fs";
import { resolve } from "node:path";

import { createSecretBox, ensureSigningKey, rotateSigningKeys } from "@voiceassist/api";
import { safeErrorMessage } from "@voiceassist/db";

import { ConfigError, type Config } from "../config";
import { openConfiguredDatabase, OIDC_ID_TOKEN_TTL_SECONDS } from "../deps";
import { devDataKeyFile, persistentDataKey } from "../dev-secret";
import { loadProcessConfig, REPO_ROOT } from "../env-file";

/** A retired key stays published this much longer than the ID tokens it signed can live (clock skew, caches). */
const PUBLISH_MARGIN_SECONDS = 300;

/**
 * Adds a new current OpenID signing key; the old one stops signing but stays
 * in the JWKS until the last token it signed has expired. Running instances
 * pick the new key up within OIDC_KEY_RELOAD_MS.
 */
async function main() {
  const config = withDataKey(loadProcessConfig());
  const box = createSecretBox(config.dataKeys.current, config.dataKeys.previous);
  const database = await openConfiguredDatabase(config);
  try {
    // Before the first start there is nothing to rotate: make the first key instead of a pair.
    await ensureSigningKey(database.db, box);
    const { kid, retired } = await rotateSigningKeys(database.db, box, OIDC_ID_TOKEN_TTL_SECONDS + PUBLISH_MARGIN_SECONDS);
    console.log(
      `new signing key ${kid} is current; retired ${retired.join(", ") || "none"} (published ${Math.round((OIDC_ID_TOKEN_TTL_SECONDS + PUBLISH_MARGIN_SECONDS) / 60)} more minutes)`,
    );
  } finally {
    await database.close();
  }
}

/**
 * The key that seals the signing keys: DATA_ENCRYPTION_KEY, or outside
 * production the one the server keeps in DATA_DIR (made by the server's
 * first start, never by this command).
 */
function withDataKey(config: Config): Config {
  if (!config.dataKeys.current) throw new ConfigError("Invalid configuration: DATA_ENCRYPTION_KEY is required to seal signing keys");
  if (!config.dataKeys.ephemeral) return config;
  const dataDir = resolve(REPO_ROOT, config.DATA_DIR);
  if (!existsSync(devDataKeyFile(dataDir))) {
    throw new ConfigError("No DATA_ENCRYPTION_KEY and no key in DATA_DIR yet: start the server once, or set DATA_ENCRYPTION_KEY");
  }
  const current = { version: config.dataKeys.current.version, key: persistentDataKey(dataDir) };
  return { ...config, dataKeys: { ...config.dataKeys, current, ephemeral: false } };
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : `oidc:rotate-keys failed: ${safeErrorMessage(error)}`);
  process.exit(1);
});
