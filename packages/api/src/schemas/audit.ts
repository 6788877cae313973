import { z } from "zod";

import type { exportAuditCsv } from "../services/audit-export";
import type { AuditView } from "../services/audit-views";
import { timestamp, uuid } from "./common";
import { sameShape } from "./same-shape";

/** The contract's AuditEvent, with who acted and on whom as they are now (null once gone or never known). */
export const auditEventSchema = z
  .object({
    id: uuid(),
    at: timestamp(),
    action: z.string(),
    outcome: z.enum(["success", "failure"]),
    actorId: uuid().nullable(),
    targetUserId: uuid().nullable(),
    ip: z.string().nullable(),
    userAgent: z.string().nullable(),
    requestId: z.string().nullable(),
    detail: z.record(z.string(), z.unknown()).nullable(),
    actorEmail: z.string().nullable().meta({ description: "The actor's current email" }),
    actorName: z.string().nullable().meta({ description: "The actor's current full name" }),
    targetEmail: z.string().nullable().meta({ description: "The target user's current email" }),
    targetName: z.string().nullable().meta({ description: "The target user's current full name" }),
  })
  .meta({ id: "AuditEvent" });
sameShape<z.output<typeof auditEventSchema>, AuditView>(true);

export const auditExportSchema = z
  .object({
    filename: z.string(),
    csv: z.string().meta({ description: "RFC 4180, every cell quoted; cells that would run as formulas start with an apostrophe" }),
    rows: z.number().int(),
    truncated: z.boolean().meta({ description: "More events matched than one export holds (the newest are kept)" }),
  })
  .meta({ id: "AuditExport" });
sameShape<z.output<typeof auditExportSchema>, Awaited<ReturnType<typeof exportAuditCsv>>>(true);
