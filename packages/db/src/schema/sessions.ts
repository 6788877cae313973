import { sql } from "drizzle-orm";
import { boolean, index, integer, pgTable, timestamp, uuid, varchar } from "drizzle-orm/pg-core";

import { users } from "./users";

/**
 * One row per login. The source of truth for revocation: a token whose
 * session is revoked, expired or missing is refused on every instance.
 */
export const sessions = pgTable(
  "sessions",
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** SHA-256 (hex) of the jti of the only refresh token that may be used next. */
    refreshJtiHash: varchar({ length: 64 }).notNull(),
    /** The user's credentials version when this session was made; stale once the user's moves on. */
    credentialsVersion: integer().notNull().default(0),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    revokedAt: timestamp({ withTimezone: true }),
    revokedReason: varchar({ length: 32 }),
    /** Whether this sign-in used a second factor (aal2). */
    mfa: boolean().notNull().default(false),
    /**
     * How the user proved who they are, as RFC 8176 method names: `pwd`, plus
     * `otp` (authenticator app or backup code) or `hwk` (passkey). Empty for
     * sessions made before it was recorded.
     */
    amr: varchar({ length: 8 }).array().notNull().default(sql`'{}'::varchar[]`),
    ip: varchar({ length: 64 }),
    userAgent: varchar({ length: 512 }),
  },
  (t) => [index("sessions_user_id_idx").on(t.userId), index("sessions_expires_at_idx").on(t.expiresAt)],
);

export type SessionRow = typeof sessions.$inferSelect;
