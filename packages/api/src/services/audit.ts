import { inArray, lt, sql } from "drizzle-orm";

import { auditEvents, type Database } from "@voiceassist/db";
import type { AuditAction } from "@voiceassist/shared";

export type { AuditAction } from "@voiceassist/shared";

/** Where a call came from; copied onto every event it causes. */
export interface AuditOrigin {
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  /** The server's own id for the call, when `requestId` is the one the client chose. */
  serverRequestId?: string | null;
}

export interface AuditEntry {
  action: AuditAction;
  outcome: "success" | "failure";
  actorId?: string | null;
  targetUserId?: string | null;
  /** Never passwords, hashes or tokens: callers pass only ids, field names and reasons. */
  detail?: Record<string, unknown> | null;
  /** Events with the same key are written once; later ones are dropped. */
  dedupeKey?: string;
}

/** Keys already written through each database handle: repeats skip the round trip entirely. */
const writtenKeysByDb = new WeakMap<Database, Set<string>>();
const WRITTEN_KEYS_MAX = 10_000;

export async function recordAudit(db: Database, origin: AuditOrigin, entry: AuditEntry): Promise<void> {
  const writtenKeys = writtenKeysByDb.get(db);
  if (entry.dedupeKey !== undefined && writtenKeys?.has(entry.dedupeKey)) return;
  const insert = db.insert(auditEvents).values({
    action: entry.action,
    outcome: entry.outcome,
    actorId: entry.actorId ?? null,
    targetUserId: entry.targetUserId ?? null,
    ip: origin.ip,
    userAgent: origin.userAgent?.slice(0, 512) ?? null,
    requestId: origin.requestId,
    // A client-chosen request id is kept, but never alone: the server's id rides along in detail.
    detail:
      origin.serverRequestId && origin.serverRequestId !== origin.requestId
        ? { ...entry.detail, serverRequestId: origin.serverRequestId }
        : (entry.detail ?? null),
    dedupeKey: entry.dedupeKey ?? null,
  });
  if (entry.dedupeKey === undefined) {
    await insert;
    return;
  }
  // The unique index makes "once" hold across instances; the set only saves round trips.
  await insert.onConflictDoNothing({ target: auditEvents.dedupeKey });
  const keys = writtenKeys && writtenKeys.size < WRITTEN_KEYS_MAX ? writtenKeys : new Set<string>();
  writtenKeysByDb.set(db, keys);
  keys.add(entry.dedupeKey);
}

const RETENTION_BATCH = 5000;

/**
 * Deletes events older than `retentionDays`, in batches so that no single
 * statement runs into the statement timeout on a large backlog; returns how many.
 */
export async function deleteExpiredAuditEvents(db: Database, retentionDays: number): Promise<number> {
  let total = 0;
  for (;;) {
    const batch = db
      .select({ id: auditEvents.id })
      .from(auditEvents)
      .where(lt(auditEvents.at, sql`now() - make_interval(days => ${retentionDays})`))
      .limit(RETENTION_BATCH);
    const deleted = await db.delete(auditEvents).where(inArray(auditEvents.id, batch)).returning({ id: auditEvents.id });
    total += deleted.length;
    if (deleted.length < RETENTION_BATCH) return total;
  }
}
