import { sql } from "drizzle-orm";
import { boolean, index, integer, pgTable, text, timestamp, uniqueIndex, uuid, varchar } from "drizzle-orm/pg-core";

import { timestamps } from "./columns";

/**
 * Between email and name in users.search_text (U+001F, chr(31) below). Search
 * terms must not contain it, so no match can span the end of an email and the
 * start of a name.
 */
export const USER_SEARCH_SEPARATOR = "\u001f";

export const users = pgTable(
  "users",
  {
    id: uuid().primaryKey().defaultRandom(),
    email: varchar({ length: 255 }).notNull(),
    fullName: varchar({ length: 255 }),
    /** Null while an invitation is not yet accepted (no password chosen yet). */
    hashedPassword: varchar({ length: 255 }),
    isActive: boolean().notNull().default(true),
    isAdmin: boolean().notNull().default(false),
    /**
     * Moved forward by every change that must end existing sign-ins (password
     * change or reset, deactivation, deletion, second-factor changes). A session
     * is live only while it carries the current value.
     */
    credentialsVersion: integer().notNull().default(0),
    ...timestamps,
    lastLogin: timestamp({ withTimezone: true }),
    /** When the user proved they read mail at `email`; null until then. */
    emailVerifiedAt: timestamp({ withTimezone: true }),
    /** A requested new address, waiting for its confirmation link. */
    pendingEmail: varchar({ length: 255 }),
    /** Whether any second factor (TOTP or passkey) is enrolled. */
    mfaEnabled: boolean().notNull().default(false),
    /** Set while an invitation is not yet accepted; cleared on acceptance. */
    invitedAt: timestamp({ withTimezone: true }),
    /** Soft deletion: the account is kept (inactive) until restored or erased. */
    deletedAt: timestamp({ withTimezone: true }),
    /** When a deleted account's personal data was replaced by placeholders (users.erase); it cannot come back. */
    erasedAt: timestamp({ withTimezone: true }),
    /**
     * What users.list and the audit log's user search match: email and name,
     * already lower-cased, in one string. One LIKE per row instead of two
     * lower() calls and two LIKEs, and one trigram index instead of two.
     */
    searchText: text().notNull().generatedAlwaysAs(sql`lower("email") || chr(31) || lower(coalesce("full_name", ''))`),
  },
  (t) => [
    // Uniqueness is case-insensitive even if a writer forgets to lower-case.
    uniqueIndex("users_email_lower_key").on(sql`lower(${t.email})`),
    // Ascending on purpose: scanned backwards it serves ORDER BY created_at DESC, id DESC
    // (NULLS FIRST). A "DESC NULLS LAST" index does not match that order and is never used.
    index("users_created_at_id_idx").on(t.createdAt, t.id),
    // Never-signed-in first ascending, last descending (a backward scan): users.list sorted by last sign-in.
    index("users_last_login_id_idx").on(t.lastLogin.asc().nullsFirst(), t.id),
    // The trigram index keeps substring search (LIKE '%term%') index-backed; no pending list,
    // so searches right after bulk inserts do not scan it.
    index("users_search_text_trgm_idx").using("gin", sql`${t.searchText} gin_trgm_ops`).with({ fastupdate: false }),
  ],
);

export type UserRow = typeof users.$inferSelect;
export type NewUserRow = typeof users.$inferInsert;
