import { z } from "zod";

import { text, uuidSchema } from "@voiceassist/shared";

import { rest } from "../rest-meta";
import { auditEventSchema, pageOf } from "../schemas";
import { listAudit } from "../services/audit";
import { adminProcedure, router } from "../trpc";

export const auditRouter = router({
  list: adminProcedure
    .meta(rest("GET", "/audit", { summary: "List audit events, newest first", access: "admin", errors: [400] }))
    .output(pageOf(auditEventSchema))
    .input(
      z
        .strictObject({
          userId: uuidSchema.optional(),
          action: text().trim().min(1).max(64).optional(),
          limit: z.number().int().min(1).max(100).default(50),
          offset: z.number().int().min(0).default(0),
        })
        .optional(),
    )
    .query(({ ctx, input }) => listAudit(ctx.deps, { limit: 50, offset: 0, ...input })),
});
