import { fastifyTRPCPlugin, type FastifyTRPCPluginOptions } from "@trpc/server/adapters/fastify";
import type { FastifyInstance } from "fastify";

import { appRouter, createContext, RateLimitedError, type ApiDeps, type AppRouter } from "@voiceassist/api";

/** The contract caps batches; a larger one is refused whole with BAD_REQUEST. */
export const MAX_BATCH_SIZE = 50;

export async function registerTrpc(app: FastifyInstance, deps: ApiDeps) {
  const trpcOptions: FastifyTRPCPluginOptions<AppRouter>["trpcOptions"] = {
    router: appRouter,
    maxBatchSize: MAX_BATCH_SIZE,
    createContext: ({ req }) =>
      createContext(deps, {
        ip: req.ip,
        userAgent: req.headers["user-agent"] ?? null,
        requestId: req.id,
        authorization: req.headers.authorization ?? null,
      }),
    responseMeta({ errors }) {
      const waits = errors.map((e) => (e.cause instanceof RateLimitedError ? e.cause.retryAfterSeconds : 0));
      const retryAfter = Math.max(0, ...waits);
      return retryAfter > 0 ? { headers: { "retry-after": String(retryAfter) } } : {};
    },
    onError({ error, path, req }) {
      // Only unexpected failures are errors worth an operator's attention.
      if (error.code === "INTERNAL_SERVER_ERROR") req.log.error({ err: error.cause ?? error, path }, "procedure failed");
    },
  };
  await app.register(fastifyTRPCPlugin, { prefix: "/trpc", trpcOptions });
}
