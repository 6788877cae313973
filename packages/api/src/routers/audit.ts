import { z } from "zod";

import { text, uuidSchema } from "@voiceassist/shared";

import { listAudit } from "../services/audit";
import { adminProcedure, router } from "../trpc";

export const auditRouter = router({
  list: adminProcedure
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
    .query(({ ctx, input }) => listAudit(ctx.db, { limit: 50, offset: 0, ...input })),
});
