import { bigint, boolean, index, integer, pgTable, text, timestamp, uniqueIndex, uuid, varchar } from "drizzle-orm/pg-core";

import { users } from "./users";

/**
 * One TOTP authenticator per user. The secret is stored only encrypted
 * (AES-256-GCM), with the version of the key that sealed it, so the key can
 * be rotated. `confirmedAt` is null while an enrolment waits for its first
 * code: such a row is never a factor.
 */
export const mfaTotp = pgTable("mfa_totp", {
  userId: uuid()
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  /** base64url(iv ‖ ciphertext ‖ tag) of the base32 secret. */
  secretCiphertext: text().notNull(),
  secretKeyVersion: integer().notNull(),
  /** The last 30 s step whose code was accepted: a code is good once, and never one from before it. */
  lastUsedStep: bigint({ mode: "number" }),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  confirmedAt: timestamp({ withTimezone: true }),
});

/** Single-use recovery codes, stored as SHA-256 hashes (they carry enough entropy for that). */
export const mfaBackupCodes = pgTable(
  "mfa_backup_codes",
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    codeHash: varchar({ length: 64 }).notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    usedAt: timestamp({ withTimezone: true }),
  },
  (t) => [uniqueIndex("mfa_backup_codes_user_code_key").on(t.userId, t.codeHash)],
);

/** WebAuthn credentials (passkeys and security keys); a user may hold several. */
export const passkeys = pgTable(
  "passkeys",
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** The authenticator's credential id, base64url. */
    credentialId: text().notNull(),
    /** COSE public key, base64url. */
    publicKey: text().notNull(),
    /** The signature counter last seen; an assertion must move it forward (clone detection). */
    counter: bigint({ mode: "number" }).notNull().default(0),
    transports: text().array(),
    name: varchar({ length: 100 }).notNull(),
    deviceType: varchar({ length: 16 }),
    backedUp: boolean().notNull().default(false),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp({ withTimezone: true }),
  },
  (t) => [uniqueIndex("passkeys_credential_id_key").on(t.credentialId), index("passkeys_user_id_idx").on(t.userId)],
);

/**
 * The step between a correct password and a session for a user with a second
 * factor. Only a hash of the token is kept; it dies after 5 minutes or 5 wrong
 * codes. It pins the credentials the password was checked against, so a
 * password change or deactivation meanwhile yields no session.
 */
export const mfaChallenges = pgTable(
  "mfa_challenges",
  {
    id: uuid().primaryKey().defaultRandom(),
    tokenHash: varchar({ length: 64 }).notNull(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    credentialsVersion: integer().notNull(),
    /** SHA-256 of the password hash that was verified (never the hash itself). */
    passwordFingerprint: varchar({ length: 64 }).notNull(),
    failedAttempts: integer().notNull().default(0),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex("mfa_challenges_token_hash_key").on(t.tokenHash),
    index("mfa_challenges_user_id_idx").on(t.userId),
    index("mfa_challenges_expires_at_idx").on(t.expiresAt),
  ],
);

/**
 * WebAuthn ceremony challenges, kept in the database so any instance can
 * finish a ceremony another began; each is taken (deleted) by its one use.
 */
export const webauthnChallenges = pgTable(
  "webauthn_challenges",
  {
    /** SHA-256 of the challenge (base64url) the client signs over. */
    challengeHash: varchar({ length: 64 }).primaryKey(),
    purpose: varchar({ length: 16 }).$type<WebauthnPurpose>().notNull(),
    /** The user the ceremony is for; null for a passwordless sign-in, which learns it from the credential. */
    userId: uuid().references(() => users.id, { onDelete: "cascade" }),
    /** For `mfa`: the sign-in challenge this passkey step belongs to. */
    mfaChallengeId: uuid().references(() => mfaChallenges.id, { onDelete: "cascade" }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [index("webauthn_challenges_expires_at_idx").on(t.expiresAt)],
);

export const WEBAUTHN_PURPOSES = ["register", "mfa", "login"] as const;
export type WebauthnPurpose = (typeof WEBAUTHN_PURPOSES)[number];

export type PasskeyRow = typeof passkeys.$inferSelect;
