import type { ServerResponse } from "node:http";

import { fastifyRequestHandler, type FastifyHandlerOptions } from "@trpc/server/adapters/fastify";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

import {
  appRouter,
  createContext,
  NotReadyError,
  RateLimitedError,
  runInRequestScope,
  type ApiDeps,
  type AppRouter,
} from "@voiceassist/api";

import { clientAddress } from "../client-ip";
import { serverRequestId } from "./request-id";

/** The contract caps batches; a larger one is refused whole with BAD_REQUEST. */
export const MAX_BATCH_SIZE = 50;

/**
 * Mounts the router at /trpc. This is what the adapter's fastifyTRPCPlugin
 * does, plus running each request in a scope that carries its id.
 */
export async function registerTrpc(app: FastifyInstance, deps: ApiDeps) {
  const options: FastifyHandlerOptions<AppRouter, FastifyRequest, FastifyReply> = {
    router: appRouter,
    maxBatchSize: MAX_BATCH_SIZE,
    createContext: ({ req }) =>
      createContext(deps, {
        ...clientAddress(req.ip, req.socket.remoteAddress),
        userAgent: req.headers["user-agent"] ?? null,
        requestId: req.id,
        serverRequestId: serverRequestId(req.raw),
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
      // A stalled or unreachable database (503, mapped in packages/api's trpc.ts); logger.ts keeps its params out.
      if (error.code === "SERVICE_UNAVAILABLE" && !(error.cause instanceof NotReadyError)) req.log.warn({ err: error.cause ?? error, path }, "database unavailable");
    },
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
function abortedWhenClientLeaves(response: ServerResponse): AbortSignal {
  const controller = new AbortController();
  response.once("close", () => {
    if (!response.writableFinished) controller.abort(new Error("client closed the connection"));
  });
  return controller.signal;
}
