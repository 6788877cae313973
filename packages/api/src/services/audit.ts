import { and, count, desc, eq, or, type SQL } from "drizzle-orm";

import { auditEvents, type Database } from "@voiceassist/db";

export type AuditAction =
  | "auth.register"
  | "auth.login"
  | "auth.refresh.reuse_detected"
  | "auth.logout"
  | "user.update"
  | "user.change_password"
  | "admin.user.update"
  | "admin.user.delete"
  | "admin.user.retry_provisioning"
  | "ratelimit.exceeded";

/** Where a call came from; copied onto every event it causes. */
export interface AuditOrigin {
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
}

export interface AuditEntry {
  action: AuditAction;
  outcome: "success" | "failure";
  actorId?: string | null;
  targetUserId?: string | null;
  /** Never passwords, hashes or tokens: callers pass only ids, field names and reasons. */
  detail?: Record<string, unknown> | null;
}

export async function recordAudit(db: Database, origin: AuditOrigin, entry: AuditEntry): Promise<void> {
  await db.insert(auditEvents).values({
    action: entry.action,
    outcome: entry.outcome,
    actorId: entry.actorId ?? null,
    targetUserId: entry.targetUserId ?? null,
    ip: origin.ip,
    userAgent: origin.userAgent?.slice(0, 512) ?? null,
    requestId: origin.requestId,
    detail: entry.detail ?? null,
  });
}

export interface AuditQuery {
  userId?: string;
  action?: string;
  limit: number;
  offset: number;
}

export async function listAudit(db: Database, query: AuditQuery) {
  const filters: SQL[] = [];
  if (query.userId) {
    filters.push(or(eq(auditEvents.actorId, query.userId), eq(auditEvents.targetUserId, query.userId))!);
  }
  if (query.action) filters.push(eq(auditEvents.action, query.action));
  const where = filters.length ? and(...filters) : undefined;
  const [items, [totals]] = await Promise.all([
    db
      .select()
      .from(auditEvents)
      .where(where)
      .orderBy(desc(auditEvents.at), desc(auditEvents.id))
      .limit(query.limit)
      .offset(query.offset),
    db.select({ total: count() }).from(auditEvents).where(where),
  ]);
  return { items, total: totals?.total ?? 0 };
}
