import type { ServerResponse } from "node:http";

import { fastifyRequestHandler, type FastifyHandlerOptions } from "@trpc/server/adapters/fastify";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

import { appRouter, runInRequestScope, type ApiDeps, type AppRouter } from "@voiceassist/api";
import { MAX_BATCH_ITEMS } from "@voiceassist/shared/transport";

import { logProcedureError, requestContext, retryAfterSeconds } from "./procedure-context";

/**
 * Mounts the router at /trpc. This is what the adapter's fastifyTRPCPlugin
 * does, plus running each request in a scope that carries its id.
 */
export async function registerTrpc(app: FastifyInstance, deps: ApiDeps) {
  const options: FastifyHandlerOptions<AppRouter, FastifyRequest, FastifyReply> = {
    router: appRouter,
    // The contract caps batches; a larger one is refused whole with BAD_REQUEST.
    maxBatchSize: MAX_BATCH_ITEMS,
    createContext: ({ req }) => requestContext(deps, req),
    responseMeta({ errors }) {
      const retryAfter = retryAfterSeconds(errors);
      return retryAfter > 0 ? { headers: { "retry-after": String(retryAfter) } } : {};
    },
    onError: ({ error, path, req }) => logProcedureError(req, error, path),
  };

  await app.register(async (scope) => {
    // tRPC parses JSON bodies itself (including batches); hand them over as text.
    scope.removeContentTypeParser("application/json");
    scope.addContentTypeParser("application/json", { parseAs: "string" }, (_request, body, done) => done(null, body));
    // Token responses must never sit in a cache; every /trpc answer is per-caller, so none may.
    scope.addHook("onRequest", async (_request, reply) => {
      reply.header("cache-control", "no-store");
    });
    scope.all<{ Params: { path: string } }>("/trpc/:path", (req, reply) =>
      app.trackWork(
        runInRequestScope(
          req.id,
          () => fastifyRequestHandler({ ...options, req, res: reply, path: req.params.path }),
          abortedWhenClientLeaves(reply.raw),
        ),
      ),
    );
  });
}

/** A signal that aborts when the connection closes before the response was written (the client hung up). */
export function abortedWhenClientLeaves(response: ServerResponse): AbortSignal {
  const controller = new AbortController();
  response.once("close", () => {
    if (!response.writableFinished) controller.abort(new Error("client closed the connection"));
  });
  return controller.signal;
}
