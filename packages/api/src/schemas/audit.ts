import { z } from "zod";

import type { AuditEventRow } from "@voiceassist/db";

import { timestamp, uuid } from "./common";
import { sameShape } from "./same-shape";

/** The contract's AuditEvent. The row's dedupeKey is bookkeeping, not part of the wire (the output parser drops it). */
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
  })
  .meta({ id: "AuditEvent" });
sameShape<z.output<typeof auditEventSchema>, Omit<AuditEventRow, "dedupeKey">>(true);
