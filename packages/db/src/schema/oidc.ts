import { sql } from "drizzle-orm";
import { boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid, varchar } from "drizzle-orm/pg-core";

import { timestamps } from "./columns";
import { users } from "./users";

/**
 * Everything the OpenID Provider (oidc-provider) keeps between requests:
 * sessions, interactions, grants, codes, tokens. One row per (model, id),
 * the library's payload as it gave it; the columns beside it are the ones
 * it looks rows up by. Shared by every instance; expired rows are swept.
 */
export const oidcProviderRecords = pgTable(
  "oidc_provider_records",
  {
    model: varchar({ length: 40 }).notNull(),
    id: varchar({ length: 255 }).notNull(),
    payload: jsonb().$type<Record<string, unknown>>().notNull(),
    grantId: varchar({ length: 255 }),
    userCode: varchar({ length: 255 }),
    uid: varchar({ length: 255 }),
    /** The payload's accountId (the user id), so a user's sessions and grants can be ended at once. */
    accountId: varchar({ length: 255 }),
    /** Set once a one-time record (an authorization code) was used. */
    consumed: boolean().notNull().default(false),
    expiresAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.model, t.id] }),
    index("oidc_provider_records_grant_id_idx").on(t.grantId),
    index("oidc_provider_records_user_code_idx").on(t.userCode),
    index("oidc_provider_records_uid_idx").on(t.uid),
    index("oidc_provider_records_account_id_idx").on(t.accountId),
    index("oidc_provider_records_expires_at_idx").on(t.expiresAt),
  ],
);

/**
 * Relying parties registered by admins. The secret is stored only sealed
 * (AES-256-GCM under DATA_ENCRYPTION_KEY, bound to the client id): the
 * provider must compare it in the clear, so it cannot be a one-way hash.
 */
export const oidcClients = pgTable("oidc_clients", {
  clientId: varchar({ length: 64 }).primaryKey(),
  name: varchar({ length: 120 }).notNull(),
  secretCiphertext: text().notNull(),
  secretKeyVersion: integer().notNull(),
  redirectUris: text().array().notNull(),
  postLogoutRedirectUris: text().array().notNull().default(sql`'{}'::text[]`),
  backchannelLogoutUri: text(),
  secretRotatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  ...timestamps,
});

/**
 * The provider's token signing keys (private JWKs, sealed). Exactly one is
 * current (retiredAt null) and signs; a retired key stays published in the
 * JWKS until `publishUntil`, when every token it signed has expired.
 */
export const oidcSigningKeys = pgTable(
  "oidc_signing_keys",
  {
    kid: varchar({ length: 64 }).primaryKey(),
    alg: varchar({ length: 16 }).notNull(),
    privateJwkCiphertext: text().notNull(),
    keyVersion: integer().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    retiredAt: timestamp({ withTimezone: true }),
    publishUntil: timestamp({ withTimezone: true }),
  },
  (t) => [uniqueIndex("oidc_signing_keys_one_current_key").on(sql`(true)`).where(sql`${t.retiredAt} is null`)],
);

/**
 * Back-channel logout deliveries: written in the transaction that ends a
 * user's sessions, sent by a worker on any instance with retries and
 * backoff (the leasing of the mail outbox).
 */
export const oidcLogoutOutbox = pgTable(
  "oidc_logout_outbox",
  {
    id: uuid().primaryKey().defaultRandom(),
    clientId: varchar({ length: 64 })
      .notNull()
      .references(() => oidcClients.clientId, { onDelete: "cascade" }),
    /** The `sub` of the logout token (the user id); kept null once the user is erased. */
    userId: uuid().references(() => users.id, { onDelete: "set null" }),
    /** The provider session's id for this client (the ID token's `sid`), when there was one. */
    sid: varchar({ length: 255 }),
    /** Stable across retries, so the client can drop a duplicate delivery. */
    jti: varchar({ length: 64 }).notNull(),
    state: varchar({ length: 16, enum: ["pending", "sent", "failed"] })
      .notNull()
      .default("pending"),
    attempts: integer().notNull().default(0),
    lastError: varchar({ length: 500 }),
    nextAttemptAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lockedUntil: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp({ withTimezone: true }),
  },
  (t) => [index("oidc_logout_outbox_due_idx").on(t.state, t.nextAttemptAt)],
);

export type OidcClientRow = typeof oidcClients.$inferSelect;
export type OidcSigningKeyRow = typeof oidcSigningKeys.$inferSelect;
