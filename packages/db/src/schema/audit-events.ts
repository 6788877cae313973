import { index, jsonb, pgTable, timestamp, uniqueIndex, uuid, varchar } from "drizzle-orm/pg-core";

import { users } from "./users";

export const auditEvents = pgTable(
  "audit_events",
  {
    id: uuid().primaryKey().defaultRandom(),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
    action: varchar({ length: 64 }).notNull(),
    outcome: varchar({ length: 16, enum: ["success", "failure"] }).notNull(),
    actorId: uuid().references(() => users.id, { onDelete: "set null" }),
    targetUserId: uuid().references(() => users.id, { onDelete: "set null" }),
    ip: varchar({ length: 64 }),
    userAgent: varchar({ length: 512 }),
    requestId: varchar({ length: 128 }),
    detail: jsonb().$type<Record<string, unknown>>(),
    /** Set on events that must be written at most once (e.g. one ratelimit.exceeded per limit, key and window). */
    dedupeKey: varchar({ length: 200 }),
  },
  (t) => [
    // Ascending: a backward scan serves audit.list's ORDER BY at DESC, id DESC.
    index("audit_events_at_id_idx").on(t.at, t.id),
    index("audit_events_actor_idx").on(t.actorId),
    index("audit_events_target_idx").on(t.targetUserId),
    index("audit_events_action_idx").on(t.action),
    uniqueIndex("audit_events_dedupe_key_idx").on(t.dedupeKey),
  ],
);

export type AuditEventRow = typeof auditEvents.$inferSelect;
export type NewAuditEventRow = typeof auditEvents.$inferInsert;
