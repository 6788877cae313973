import { rest } from "../rest-meta";
import { livenessSchema, readinessSchema } from "../schemas";
import { publicProcedure, rateLimited, router } from "../trpc";

export const healthRouter = router({
  /** Liveness: touches no dependency. */
  live: publicProcedure
    .meta(rest("GET", "/health/live", { summary: "Liveness", access: "public" }))
    .output(livenessSchema)
    .query(({ ctx }) => ({
      status: "healthy" as const,
      timestamp: new Date(),
      version: ctx.deps.version,
      uptimeSeconds: Math.round((Date.now() - ctx.deps.startedAt.getTime()) / 1000),
    })),

  /**
   * Readiness: every dependency checked in parallel, each within 2 s; 503 when a required one is down.
   * Public, so bounded: per-IP budget (`ready` in LIMITS), and ctx.deps.readiness shares one probe round
   * between concurrent callers and reuses it briefly (see sharedReadiness).
   */
  ready: publicProcedure
    .meta(rest("GET", "/health/ready", { summary: "Readiness of every dependency", access: "public", limits: ["ready"] }))
    .output(readinessSchema)
    .use(rateLimited("ready"))
    .query(({ ctx }) => ctx.deps.readiness()),
});
