import { index, integer, pgTable, timestamp, uuid, varchar, boolean } from "drizzle-orm/pg-core";

import { users } from "./users";

export const PROVISIONING_STATES = ["pending", "provisioned", "failed"] as const;

/**
 * The durable to-do list for Nextcloud: one row per user, written in the
 * same transaction as the change that needs syncing, drained by workers.
 */
export const nextcloudProvisioning = pgTable(
  "nextcloud_provisioning",
  {
    userId: uuid()
      .primaryKey()
      .references(() => users.id, { onDelete: "cascade" }),
    state: varchar({ length: 16, enum: PROVISIONING_STATES }).notNull().default("pending"),
    /** Whether the Nextcloud account should be enabled (mirrors users.is_active). */
    wantEnabled: boolean().notNull().default(true),
    /** Bumped by every new request; a worker's result only settles the generation it worked on. */
    generation: integer().notNull().default(0),
    attempts: integer().notNull().default(0),
    lastError: varchar({ length: 500 }),
    nextAttemptAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** A worker's lease: while in the future, no other worker takes the row. */
    lockedUntil: timestamp({ withTimezone: true }),
    provisionedAt: timestamp({ withTimezone: true }),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("nextcloud_provisioning_due_idx").on(t.state, t.nextAttemptAt)],
);

export type ProvisioningRow = typeof nextcloudProvisioning.$inferSelect;
