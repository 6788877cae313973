import type { TRPCError } from "@trpc/server";
import type { FastifyHandlerOptions } from "@trpc/server/adapters/fastify";
import { resolveResponse } from "@trpc/server/http";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

import { appRouter, type ApiDeps, type AppRouter } from "@voiceassist/api";
import { MAX_BATCH_ITEMS } from "@voiceassist/shared/transport";

import { procedureFailed, requestContext, retryAfterSeconds } from "./procedure-context";
import { answerQueryFast } from "./trpc-query-fast-path";

export interface TrpcMountOptions {
  /** Single GET queries skip resolveResponse's Fetch objects (default); off only to compare the two paths in tests. */
  queryFastPath?: boolean;
}

/**
 * Mounts the router at /trpc: what the adapter's fastifyTRPCPlugin does,
 * minus two costs that showed in the profile (bench/README.md): a second
 * AbortController per request, and Fastify streaming the Fetch `Response`
 * (chunked, through a web stream) when the whole JSON answer is already in
 * memory.
 */
export async function registerTrpc(app: FastifyInstance, deps: ApiDeps, mount: TrpcMountOptions = {}) {
  const options: FastifyHandlerOptions<AppRouter, FastifyRequest, FastifyReply> = {
    router: appRouter,
    // The contract caps batches; a larger one is refused whole with BAD_REQUEST.
    maxBatchSize: MAX_BATCH_ITEMS,
    createContext: ({ req, res }) => requestContext(deps, req, res),
    responseMeta: ({ errors }) => ({ headers: errorHeaders(errors) }),
    // tRPC calls this before it formats the error: procedureFailed tags it with the request id.
    onError: ({ error, path, req }) => procedureFailed(req, error, path),
  };

  await app.register(async (scope) => {
    // tRPC parses JSON bodies itself (including batches); hand them over as text.
    scope.removeContentTypeParser("application/json");
    scope.addContentTypeParser("application/json", { parseAs: "string" }, (_request, body, done) => done(null, body));
    // Token responses must never sit in a cache; every /trpc answer is per-caller, so none may.
    scope.addHook("onRequest", (_request, reply, done) => {
      reply.header("cache-control", "no-store");
      done();
    });
    scope.all<{ Params: { path: string } }>("/trpc/:path", (req, reply) =>
      app.trackWork(mount.queryFastPath === false ? handle(options, req, reply) : handleFast(options, req, reply)),
    );
  });
}

type Options = FastifyHandlerOptions<AppRouter, FastifyRequest, FastifyReply>;

/** Headers an answer gets for its errors: `Retry-After` when a rate limit refused the call. */
function errorHeaders(errors: readonly TRPCError[]): Record<string, string> {
  const retryAfter = retryAfterSeconds(errors);
  return retryAfter > 0 ? { "retry-after": String(retryAfter) } : {};
}

/** The hot reads (GETs of queries, one or a batch) straight through; everything else through resolveResponse. */
async function handleFast(options: Options, req: FastifyRequest<{ Params: { path: string } }>, reply: FastifyReply) {
  const answer = await answerQueryFast(
    {
      router: options.router,
      maxBatchSize: MAX_BATCH_ITEMS,
      createContext: async () => options.createContext({ req, res: reply, info: undefined as never }),
      responseHeaders: errorHeaders,
      onError: (error, path) => options.onError?.({ error, path, req, type: "query", ctx: undefined, input: undefined }),
    },
    req,
    req.params.path,
  );
  if (!answer) return handle(options, req, reply);
  return reply.status(answer.status).headers(answer.headers).send(answer.body);
}

async function handle(options: Options, req: FastifyRequest<{ Params: { path: string } }>, reply: FastifyReply) {
  const response = await resolveResponse({
    ...options,
    req: fetchRequest(req),
    path: req.params.path,
    error: null,
    createContext: async () => options.createContext({ req, res: reply, info: undefined as never }),
    onError: (o) => options.onError?.({ ...o, req }),
  });
  reply.status(response.status);
  for (const [name, value] of response.headers) reply.header(name, value);
  // A streamed answer (jsonl, event-stream) stays a stream; a plain JSON one is sent whole, with its length.
  const contentType = response.headers.get("content-type");
  return reply.send(contentType?.startsWith("application/json") ? await response.text() : response);
}

/**
 * The Fetch Request tRPC reads: method, URL (for `input` and `batch`),
 * headers and the body Fastify already read as text. No signal: the request
 * scope carries the one that aborts when the client leaves.
 */
function fetchRequest(req: FastifyRequest): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else if (value !== undefined) headers.append(name, value);
  }
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  return new Request(`http://localhost${req.url}`, {
    method: req.method,
    headers,
    ...(hasBody ? { body: typeof req.body === "string" ? req.body : undefined, duplex: "half" } : {}),
  } as RequestInit);
}
