import { index, pgTable, timestamp, uuid, varchar } from "drizzle-orm/pg-core";

import { users } from "./users";

/** What a mailed link may do; a token of one purpose never serves another. */
export const ACCOUNT_TOKEN_PURPOSES = ["password_reset", "email_verify", "email_change", "invite"] as const;
export type AccountTokenPurpose = (typeof ACCOUNT_TOKEN_PURPOSES)[number];

/**
 * Single-use tokens sent by mail (reset, verify, email change, invitation).
 * Only the SHA-256 of the token is stored, so a database leak yields no
 * usable link; `email` binds the token to the address it was mailed to.
 */
export const accountTokens = pgTable(
  "account_tokens",
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    purpose: varchar({ length: 32, enum: ACCOUNT_TOKEN_PURPOSES }).notNull(),
    /** SHA-256 (hex) of the token. */
    tokenHash: varchar({ length: 64 }).notNull().unique(),
    /** The address the link went to (for an email change: the new one). */
    email: varchar({ length: 255 }).notNull(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    usedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("account_tokens_user_purpose_idx").on(t.userId, t.purpose)],
);

export type AccountTokenRow = typeof accountTokens.$inferSelect;
