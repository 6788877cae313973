import { integer, pgTable, timestamp, varchar } from "drizzle-orm/pg-core";

/**
 * Failed logins per account, keyed by a hash of the submitted email so that
 * unknown addresses lock exactly like real ones (no enumeration through the
 * lock). Kept in Postgres: it holds on every instance, survives a Redis
 * restart, and a password reset clears it in the same transaction.
 */
export const loginFailures = pgTable("login_failures", {
  /** SHA-256 (hex) of the normalised email. */
  emailHash: varchar({ length: 64 }).primaryKey(),
  failures: integer().notNull(),
  windowStartedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});
