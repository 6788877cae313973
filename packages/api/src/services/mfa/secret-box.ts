import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

import { DomainError } from "../../errors";

/** One 32-byte AES key and the version number stored beside what it seals. */
export interface DataKey {
  version: number;
  key: Buffer;
}

/** Seals small secrets (TOTP seeds) for storage: AES-256-GCM, bound to the row that holds them. */
export interface SecretBox {
  /** Encrypts under the current key; `context` (e.g. the user id) must be given again to open. */
  seal(plaintext: string, context: string): { ciphertext: string; keyVersion: number };
  /** Decrypts with the key of `keyVersion` (current or an old one kept for rotation). */
  open(ciphertext: string, keyVersion: number, context: string): string;
  /** The version new ciphertexts get; rows under another one are re-sealed when next used. */
  readonly currentVersion: number;
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A key from its configured text: 32 bytes as 64 hex characters or as base64 / base64url. */
export function parseDataKey(text: string): Buffer | null {
  const trimmed = text.trim();
  const bytes = /^[0-9a-fA-F]{64}$/.test(trimmed) ? Buffer.from(trimmed, "hex") : Buffer.from(trimmed, "base64");
  return bytes.length === 32 ? bytes : null;
}

/** A fresh key in the form parseDataKey reads (base64). */
export const generateDataKey = () => randomBytes(32).toString("base64");

export const encryptionUnavailable = () =>
  new DomainError("unavailable", "Second factors are not available: the server has no DATA_ENCRYPTION_KEY");

/**
 * The box for `current` (new ciphertexts) and `previous` keys (reading older
 * ones). Without a key (production with DATA_ENCRYPTION_KEY unset) every use
 * fails with a clear SERVICE_UNAVAILABLE, and nothing is stored in the clear.
 */
export function createSecretBox(current: DataKey | null, previous: DataKey[] = []): SecretBox {
  const byVersion = new Map<number, Buffer>(previous.map((k) => [k.version, k.key]));
  if (current) byVersion.set(current.version, current.key);

  return {
    currentVersion: current?.version ?? 0,
    seal(plaintext, context) {
      if (!current) throw encryptionUnavailable();
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv("aes-256-gcm", current.key, iv);
      cipher.setAAD(Buffer.from(context));
      const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
      return { ciphertext: Buffer.concat([iv, body, cipher.getAuthTag()]).toString("base64url"), keyVersion: current.version };
    },
    open(ciphertext, keyVersion, context) {
      const key = byVersion.get(keyVersion);
      if (!key) throw encryptionUnavailable();
      const raw = Buffer.from(ciphertext, "base64url");
      const decipher = createDecipheriv("aes-256-gcm", key, raw.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(context));
      decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
      return Buffer.concat([decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)), decipher.final()]).toString("utf8");
    },
  };
}
