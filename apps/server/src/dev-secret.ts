import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { join } from "node:path";

import { generateDataKey, parseDataKey } from "@voiceassist/api";

import { ConfigError } from "./config";

/** Where the development signing key is kept, beside the embedded database. */
export const devSecretFile = (dataDir: string) => join(dataDir, "jwt-secret");
/** Where the development key for secrets at rest (TOTP seeds) is kept. */
export const devDataKeyFile = (dataDir: string) => join(dataDir, "data-encryption-key");

/**
 * One random key per data directory and file name, made on first start and
 * kept with mode 0600, so a restart keeps what the key protects. Several
 * processes starting at once agree on the first one written ("wx"). `check`
 * names what is wrong with a key read back, or returns null.
 */
function persistentKeyFile(dataDir: string, file: string, make: () => string, check: (key: string) => string | null): string {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  try {
    writeFileSync(file, `${make()}\n`, { flag: "wx", mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  // A key others can read protects nothing: narrow it rather than trust it.
  if (statSync(file).mode & 0o077) chmodSync(file, 0o600);
  const key = readFileSync(file, "utf8").trim();
  const problem = check(key);
  if (problem) throw new ConfigError(`Invalid configuration: ${file} ${problem}; delete it to make a new one`);
  return key;
}

/** Outside production with no JWT_SECRET: the signing key, so a restart does not sign everyone out. */
export function persistentDevSecret(dataDir: string): string {
  return persistentKeyFile(
    dataDir,
    devSecretFile(dataDir),
    () => randomBytes(32).toString("hex"),
    (key) => (Buffer.byteLength(key) < 32 ? "holds a key shorter than 32 bytes" : null),
  );
}

/**
 * Outside production with no DATA_ENCRYPTION_KEY: the key that seals TOTP
 * secrets, so enrolled authenticators survive a restart. (Deleting it makes
 * every enrolled TOTP unreadable: reset those users' factors.)
 */
export function persistentDataKey(dataDir: string): Buffer {
  const text = persistentKeyFile(dataDir, devDataKeyFile(dataDir), generateDataKey, (key) =>
    parseDataKey(key) ? null : "does not hold a 32-byte key",
  );
  return parseDataKey(text) as Buffer;
}
