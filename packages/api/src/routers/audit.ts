import { z } from "zod";

import { text, uuidSchema } from "@voiceassist/shared";

import { rest } from "../rest-meta";
import { auditEventSchema, auditExportSchema, pageOf } from "../schemas";
import { exportAuditCsv } from "../services/audit-export";
import { listAudit } from "../services/audit-views";
import { userSearchText } from "../services/user-match";
import { adminProcedure, router } from "../trpc";

/** The filters audit.list and audit.export share. */
const auditFilter = {
  userId: uuidSchema.optional(),
  userSearch: userSearchText().trim().min(1).max(255).optional(),
  action: text().trim().min(1).max(64).optional(),
  outcome: z.enum(["success", "failure"]).optional(),
  from: z.date().optional(),
  to: z.date().optional(),
};

const fromNotAfterTo = (input: { from?: Date; to?: Date } | undefined) => !input?.from || !input.to || input.from <= input.to;
const rangeMessage = { message: "`from` must not be after `to`", path: ["from"] };

export const auditRouter = router({
  list: adminProcedure
    .meta(rest("GET", "/audit", { summary: "List audit events, newest first", access: "admin", errors: [400] }))
    .output(pageOf(auditEventSchema))
    .input(
      z
        .strictObject({
          ...auditFilter,
          limit: z.number().int().min(1).max(100).default(50),
          offset: z.number().int().min(0).default(0),
        })
        .optional()
        .refine(fromNotAfterTo, rangeMessage),
    )
    .query(({ ctx, input }) => listAudit(ctx.deps, { limit: 50, offset: 0, ...input })),

  /** The filtered events as a CSV file's text (a query: it changes nothing). */
  export: adminProcedure
    .meta(
      rest("GET", "/audit/export", {
        summary: "Export the filtered audit events as CSV",
        description: "The same filters as the list; newest first, at most 10 000 events (`truncated` says when more matched).",
        access: "admin",
        errors: [400],
      }),
    )
    .output(auditExportSchema)
    .input(z.strictObject(auditFilter).optional().refine(fromNotAfterTo, rangeMessage))
    .query(({ ctx, input }) => exportAuditCsv(ctx.deps, input ?? {})),
});
