import { callTRPCProcedure, getTRPCErrorFromUnknown, getTRPCErrorShape, type TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { forEachOpenApiProcedure, getInputOutputParsers, type OpenApiMethod } from "trpc-to-openapi";

import { appRouter, type ApiDeps, type Context } from "@voiceassist/api";

import { publicError } from "../errors";
import { forbiddenKeyError, hasForbiddenKey } from "../forbidden-keys";
import { abortedWhenClientLeaves, procedureFailed, requestContext, retryAfterSeconds } from "../procedure-context";
import { restErrorBody, restFrameworkErrorBody } from "./error-body";
import { queryFields, restInput } from "./rest-input";

export interface RestOperation {
  method: OpenApiMethod;
  /** As in the document: `/api/users/{id}`. */
  path: string;
  /** The procedure: `users.byId`. */
  procedure: string;
  type: "query" | "mutation";
  inputParser: unknown;
}

/** Every procedure with an `openapi` meta, the same list the document is generated from. */
export function restOperations(): RestOperation[] {
  const operations: RestOperation[] = [];
  forEachOpenApiProcedure(appRouter._def.procedures, ({ path, type, procedure, meta }) => {
    if (type === "subscription") return;
    operations.push({
      method: meta.openapi.method,
      path: meta.openapi.path,
      procedure: path,
      type,
      inputParser: getInputOutputParsers(procedure).inputParser,
    });
  });
  return operations;
}

/**
 * Plain-JSON routes for the procedures, registered under `prefix`. Each call
 * goes through tRPC itself (callTRPCProcedure: the same middlewares, rate
 * limits, validation and error formatter as /trpc) with the context /trpc
 * builds; only the envelope differs: input and output are plain JSON.
 *
 * Not trpc-to-openapi's own handler: it marks the procedures' zod schemas
 * `coerce` in place on each call, so after one REST call "false" would be
 * `true` for a z.boolean() input on /trpc as well.
 */
export async function registerRestRoutes(app: FastifyInstance, deps: ApiDeps, prefix: string) {
  await app.register(
    async (scope) => {
      // Answers here are per caller (tokens among them): none may sit in a cache.
      scope.addHook("onRequest", async (_request, reply) => {
        reply.header("cache-control", "no-store");
      });
      // Fastify parsed the body (refusing __proto__); the guard refuses the other keys, in body and query alike.
      scope.addHook("preValidation", async (request) => {
        if (hasForbiddenKey(request.body) || hasForbiddenKey(request.query)) throw forbiddenKeyError();
      });
      scope.setErrorHandler((error: FastifyError, request, reply) => {
        const { status, message } = publicError(error);
        if (status >= 500) request.log.error({ err: error }, "unhandled error");
        return reply.status(status).send(restFrameworkErrorBody(status, message, request.id));
      });
      scope.setNotFoundHandler((request, reply) => reply.status(404).send(restFrameworkErrorBody(404, "Not found", request.id)));

      for (const operation of restOperations()) {
        scope.route({
          method: operation.method,
          url: operation.path.slice(prefix.length).replace(/\{(\w+)\}/g, ":$1"),
          handler: (request, reply) => {
            const signal = abortedWhenClientLeaves(reply.raw);
            return app.trackWork(answer(deps, operation, request, reply, signal));
          },
        });
      }
    },
    { prefix },
  );
}

async function answer(deps: ApiDeps, operation: RestOperation, request: FastifyRequest, reply: FastifyReply, signal: AbortSignal) {
  const params = request.params as Record<string, string>;
  const fromQuery = operation.method === "GET" || operation.method === "DELETE";
  const source = fromQuery ? queryFields(operation.inputParser, request.query as Record<string, unknown>) : request.body;
  const input = restInput(source, params);
  let ctx: Context | undefined;
  try {
    ctx = requestContext(deps, request, reply);
    const data = await callTRPCProcedure({
      router: appRouter,
      path: operation.procedure,
      getRawInput: async () => input,
      ctx,
      type: operation.type,
      signal,
      batchIndex: 0,
    });
    return reply.status(200).send(data);
  } catch (cause) {
    const error: TRPCError = getTRPCErrorFromUnknown(cause);
    procedureFailed(request, error, operation.procedure);
    const retryAfter = retryAfterSeconds([error]);
    if (retryAfter > 0) reply.header("retry-after", String(retryAfter));
    const shape = getTRPCErrorShape({
      config: appRouter._def._config,
      error,
      type: operation.type,
      path: operation.procedure,
      input,
      ctx,
    });
    return reply.status(getHTTPStatusCodeFromError(error)).send(restErrorBody(shape));
  }
}
