import type { AnyRouter } from "@trpc/server";
import {
  getErrorShape,
  getHTTPStatusCode,
  getProcedureAtPath,
  getTRPCErrorFromUnknown,
  transformTRPCResponse,
  type AnyProcedure,
  TRPCError,
  type TRPCResponse,
} from "@trpc/server/unstable-core-do-not-import";
import type { FastifyRequest } from "fastify";

/** What the fast path needs of the mount's options: the same callbacks resolveResponse gets. */
export interface QueryFastPathOptions<TContext> {
  router: AnyRouter;
  createContext: () => Promise<TContext>;
  responseHeaders: (errors: TRPCError[]) => Record<string, string>;
  onError: (error: TRPCError, path: string) => void;
}

export interface FastAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Answers a single, unbatched GET of a query procedure (auth.me, health.*,
 * users.list: the hot reads) without building a Fetch Request, Headers and
 * Response for tRPC's resolveResponse; those were about a quarter of a
 * protected call's CPU (bench/README.md). It is resolveResponse's own path
 * for that case, through tRPC's own parts (procedure lookup, input parsing in
 * the procedure, getErrorShape, the transformer, status mapping), so bodies,
 * statuses and headers are the same; test/trpc-fast-path.test.ts compares
 * the two. Returns undefined for anything else (batches, mutations over GET,
 * unknown paths, streaming accepts), which resolveResponse then handles.
 */
export async function answerQueryFast<TContext>(
  options: QueryFastPathOptions<TContext>,
  req: FastifyRequest,
  path: string,
): Promise<FastAnswer | undefined> {
  if (req.method !== "GET") return undefined;
  const query = req.query as Record<string, unknown>;
  // Only `input` (or nothing) may be asked of this path: batch=1, connectionParams, SSE ids and the like go the long way.
  for (const key in query) if (key !== "input") return undefined;
  const rawInput = query.input;
  if (rawInput !== undefined && typeof rawInput !== "string") return undefined;
  // A streaming accept makes resolveResponse refuse an unbatched call; let it.
  if (req.headers["trpc-accept"] !== undefined || req.headers.accept?.includes("application/jsonl")) return undefined;
  // Plain procedure names only: anything resolveResponse would have to decode (or refuse) takes its path.
  if (path.includes("%")) return undefined;
  const procedure = (await getProcedureAtPath(options.router, path)) as AnyProcedure | null;
  if (procedure?._def.type !== "query") return undefined;

  const config = options.router._def._config;
  let input: unknown;
  let ctx: TContext | undefined;
  let response: TRPCResponse;
  let error: TRPCError | undefined;
  try {
    ctx = await options.createContext();
    const data = await procedure({
      path,
      type: "query",
      ctx,
      signal: undefined,
      batchIndex: 0,
      getRawInput: async () => {
        input = rawInput ? parseInput(rawInput, config.transformer.input.deserialize) : undefined;
        return input;
      },
    });
    response = { result: { data } };
  } catch (cause) {
    error = getTRPCErrorFromUnknown(cause);
    options.onError(error, path);
    response = { error: getErrorShape({ config, ctx, error, input, path, type: "query" }) };
  }
  const headers: Record<string, string> = {
    vary: "trpc-accept, accept",
    "content-type": "application/json",
    ...options.responseHeaders(error ? [error] : []),
  };
  return {
    status: getHTTPStatusCode(response),
    headers,
    body: JSON.stringify(transformTRPCResponse(config, response)),
  };
}

/** The `input` parameter as resolveResponse reads it: unreadable JSON is the caller's error (400), not ours. */
function parseInput(raw: string, deserialize: (value: unknown) => unknown): unknown {
  try {
    return deserialize(JSON.parse(raw));
  } catch (cause) {
    throw new TRPCError({ code: "BAD_REQUEST", message: cause instanceof Error ? cause.message : "Invalid input", cause });
  }
}
