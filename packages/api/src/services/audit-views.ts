import { and, count, desc, eq, gte, inArray, lte, or, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";

import { auditEvents, users, type Database } from "@voiceassist/db";

import { userMatches } from "./user-match";

export interface AuditFilter {
  /** Events where this user is the actor or the target. */
  userId?: string;
  /** Events whose actor or target has a current email or name containing this text (plain text, any case). */
  userSearch?: string;
  action?: string;
  outcome?: "success" | "failure";
  /** Inclusive bounds on `at`. */
  from?: Date;
  to?: Date;
}

export interface AuditQuery extends AuditFilter {
  limit: number;
  offset: number;
}

const actor = alias(users, "actor");
const target = alias(users, "target");

/** An event as admins read it: the row (without its dedupe key) plus who acted and on whom, as they are now. */
const auditViewColumns = {
  id: auditEvents.id,
  at: auditEvents.at,
  action: auditEvents.action,
  outcome: auditEvents.outcome,
  actorId: auditEvents.actorId,
  targetUserId: auditEvents.targetUserId,
  ip: auditEvents.ip,
  userAgent: auditEvents.userAgent,
  requestId: auditEvents.requestId,
  detail: auditEvents.detail,
  actorEmail: actor.email,
  actorName: actor.fullName,
  targetEmail: target.email,
  targetName: target.fullName,
};

function auditWhere(db: Database, filter: AuditFilter): SQL | undefined {
  const term = filter.userSearch?.trim().toLowerCase();
  let matchingUsers: SQL | undefined;
  if (term) {
    // The trigram index on users finds the people; the actor/target indexes find their events.
    const ids = db.select({ id: users.id }).from(users).where(userMatches(term));
    matchingUsers = or(inArray(auditEvents.actorId, ids), inArray(auditEvents.targetUserId, ids));
  }
  return and(
    filter.userId ? or(eq(auditEvents.actorId, filter.userId), eq(auditEvents.targetUserId, filter.userId)) : undefined,
    matchingUsers,
    filter.action ? eq(auditEvents.action, filter.action) : undefined,
    filter.outcome ? eq(auditEvents.outcome, filter.outcome) : undefined,
    filter.from ? gte(auditEvents.at, filter.from) : undefined,
    filter.to ? lte(auditEvents.at, filter.to) : undefined,
  );
}

/** Newest first, as admins read them. */
function selectEvents(db: Database, where: SQL | undefined) {
  return db
    .select(auditViewColumns)
    .from(auditEvents)
    .leftJoin(actor, eq(actor.id, auditEvents.actorId))
    .leftJoin(target, eq(target.id, auditEvents.targetUserId))
    .where(where)
    .orderBy(desc(auditEvents.at), desc(auditEvents.id));
}

export type AuditView = Awaited<ReturnType<typeof selectEvents>>[number];

export async function listAudit({ db }: { db: Database }, query: AuditQuery) {
  const where = auditWhere(db, query);
  const [items, [totals]] = await Promise.all([
    selectEvents(db, where).limit(query.limit).offset(query.offset),
    db.select({ total: count() }).from(auditEvents).where(where),
  ]);
  return { items, total: totals?.total ?? 0 };
}

/** At most this many events go into one export; a larger selection is cut (newest kept) and says so. */
export const AUDIT_EXPORT_MAX_ROWS = 10_000;

/** The filtered events, newest first, up to AUDIT_EXPORT_MAX_ROWS; `truncated` when more matched. */
export async function selectAuditForExport({ db }: { db: Database }, filter: AuditFilter) {
  const rows = await selectEvents(db, auditWhere(db, filter)).limit(AUDIT_EXPORT_MAX_ROWS + 1);
  return { rows: rows.slice(0, AUDIT_EXPORT_MAX_ROWS), truncated: rows.length > AUDIT_EXPORT_MAX_ROWS };
}
