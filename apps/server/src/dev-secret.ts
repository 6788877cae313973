import { randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";

import { ConfigError } from "./config";

/** Where the development signing key is kept, beside the embedded database. */
export const devSecretFile = (dataDir: string) => join(dataDir, "jwt-secret");

/**
 * Outside production with no JWT_SECRET: one random key per data directory, made on
 * first start and kept with mode 0600, so a restart does not sign everyone out.
 * Several processes starting at once agree on the first one written ("wx").
 */
export function persistentDevSecret(dataDir: string): string {
  const file = devSecretFile(dataDir);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  try {
    writeFileSync(file, `${randomBytes(32).toString("hex")}\n`, { flag: "wx", mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  // A key others can read signs tokens anyone could forge: narrow it rather than trust it.
  if (statSync(file).mode & 0o077) chmodSync(file, 0o600);
  const secret = readFileSync(file, "utf8").trim();
  if (Buffer.byteLength(secret) < 32) {
    throw new ConfigError(`Invalid configuration: ${file} holds a key shorter than 32 bytes; delete it to make a new one`);
  }
  return secret;
}
