import type { Database } from "@voiceassist/db";

import { type AuditFilter, selectAuditForExport } from "./audit-views";
import { toCsv } from "./csv";

const HEADER = [
  "at",
  "action",
  "outcome",
  "actor_email",
  "actor_name",
  "actor_id",
  "target_email",
  "target_name",
  "target_id",
  "ip",
  "user_agent",
  "request_id",
  "detail",
];

/**
 * audit.export: the filtered events as CSV (newest first), with a file name
 * that says when it was made. Reading the log changes nothing, so it is not
 * itself an audit event.
 */
export async function exportAuditCsv(deps: { db: Database }, filter: AuditFilter, now = new Date()) {
  const { rows, truncated } = await selectAuditForExport(deps, filter);
  const csv = toCsv(
    HEADER,
    rows.map((e) => [
      e.at,
      e.action,
      e.outcome,
      e.actorEmail,
      e.actorName,
      e.actorId,
      e.targetEmail,
      e.targetName,
      e.targetUserId,
      e.ip,
      e.userAgent,
      e.requestId,
      e.detail ? JSON.stringify(e.detail) : null,
    ]),
  );
  const stamp = now.toISOString().slice(0, 19).replace(/[-:]/g, "").replace("T", "-");
  return { filename: `audit-${stamp}.csv`, csv, rows: rows.length, truncated };
}
