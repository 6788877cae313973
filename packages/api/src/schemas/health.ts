import { z } from "zod";

import type { checkReadiness } from "../services/readiness";
import { timestamp } from "./common";
import { sameShape } from "./same-shape";

export const livenessSchema = z.object({
  status: z.literal("healthy"),
  timestamp: timestamp(),
  version: z.string(),
  uptimeSeconds: z.number().int(),
});

export const checkResultSchema = z
  .object({
    status: z.enum(["up", "down", "disabled"]),
    latencyMs: z.number().optional(),
    detail: z.string().optional().meta({ description: "A short hint, never a connection string or secret" }),
  })
  .meta({ id: "CheckResult" });

export const readinessSchema = z.object({
  status: z.enum(["ready", "degraded"]),
  checks: z.object({
    postgres: checkResultSchema,
    redis: checkResultSchema,
    qdrant: checkResultSchema,
    nextcloud: checkResultSchema,
    smtp: checkResultSchema,
  }),
});
sameShape<z.output<typeof readinessSchema>, Awaited<ReturnType<typeof checkReadiness>>>(true);
