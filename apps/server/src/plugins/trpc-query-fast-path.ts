import type { AnyRouter } from "@trpc/server";
import {
  getErrorShape,
  getHTTPStatusCode,
  getProcedureAtPath,
  getTRPCErrorFromUnknown,
  TRPCError,
  transformTRPCResponse,
  type AnyProcedure,
  type TRPCResponse,
} from "@trpc/server/unstable-core-do-not-import";
import type { FastifyRequest } from "fastify";

/** What the fast path needs of the mount's options: the same callbacks resolveResponse gets. */
export interface QueryFastPathOptions<TContext> {
  router: AnyRouter;
  maxBatchSize: number;
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
 * Answers a GET of query procedures — one call, or a batch of them as the
 * typed client sends (`?batch=1`) — without building a Fetch Request,
 * Headers and Response for tRPC's resolveResponse; those were about a quarter
 * of a protected call's CPU (bench/README.md). It is resolveResponse's own
 * non-streaming path through tRPC's own parts (procedure lookup, the
 * procedure call with its middlewares and input parsing, getErrorShape, the
 * transformer, status mapping), so statuses, bodies and headers are the same;
 * test/trpc-fast-path.test.ts compares the two. Returns undefined for
 * anything else (mutations over GET, unknown paths, oversized batches,
 * streaming accepts, other query parameters), which resolveResponse handles.
 */
export async function answerQueryFast<TContext>(
  options: QueryFastPathOptions<TContext>,
  req: FastifyRequest,
  path: string,
): Promise<FastAnswer | undefined> {
  if (req.method !== "GET") return undefined;
  const query = req.query as Record<string, unknown>;
  for (const key in query) if (key !== "input" && key !== "batch") return undefined;
  const rawInput = query.input;
  if (rawInput !== undefined && typeof rawInput !== "string") return undefined;
  if (query.batch !== undefined && query.batch !== "1") return undefined;
  const isBatch = query.batch === "1";
  // A streaming accept asks for jsonl, or makes resolveResponse refuse an unbatched call; let it.
  if (req.headers["trpc-accept"] !== undefined || req.headers.accept?.includes("application/jsonl")) return undefined;
  // Plain procedure names only: anything resolveResponse would have to decode (or refuse) takes its path.
  if (path.includes("%")) return undefined;
  const paths = isBatch ? path.split(",") : [path];
  if (paths.length > options.maxBatchSize) return undefined;
  const calls: { path: string; procedure: AnyProcedure }[] = [];
  for (const name of paths) {
    const procedure = (await getProcedureAtPath(options.router, name)) as AnyProcedure | null;
    if (procedure?._def.type !== "query") return undefined;
    calls.push({ path: name, procedure });
  }

  const config = options.router._def._config;
  const inputs = lazyInputs(rawInput, paths.length, isBatch, (value) => config.transformer.input.deserialize(value));
  let ctx: TContext | undefined;
  let ctxError: unknown;
  try {
    ctx = await options.createContext();
  } catch (cause) {
    ctxError = cause;
  }
  const errors: (TRPCError | undefined)[] = [];
  const responses: TRPCResponse[] = await Promise.all(
    calls.map(async ({ path: callPath, procedure }, index): Promise<TRPCResponse> => {
      try {
        if (ctxError !== undefined) throw ctxError;
        const data = await procedure({
          path: callPath,
          type: "query",
          ctx,
          signal: undefined,
          batchIndex: index,
          getRawInput: async () => (await inputs.read())[index],
        });
        return { result: { data } };
      } catch (cause) {
        const error = getTRPCErrorFromUnknown(cause);
        errors[index] = error;
        options.onError(error, callPath);
        const input = inputs.result()?.[index];
        return { error: getErrorShape({ config, ctx, error, input, path: callPath, type: "query" }) };
      }
    }),
  );
  const [single] = responses;
  const body = isBatch || !single ? responses : single;
  return {
    status: getHTTPStatusCode(body),
    headers: {
      vary: "trpc-accept, accept",
      "content-type": "application/json",
      ...options.responseHeaders(errors.filter((e) => e !== undefined)),
    },
    body: JSON.stringify(transformTRPCResponse(config, body)),
  };
}

type Inputs = Record<number, unknown>;

/**
 * The `input` parameter read once, on first use, as resolveResponse reads it:
 * a call's input by its index; unreadable JSON, or a batch input that is not
 * an object, is the caller's error (400).
 */
function lazyInputs(raw: string | undefined, calls: number, isBatch: boolean, deserialize: (value: unknown) => unknown) {
  let read: Promise<Inputs> | undefined;
  let value: Inputs | undefined;
  const parse = (): Inputs => {
    if (!raw) return {};
    const parsed: unknown = JSON.parse(raw);
    if (!isBatch) return { 0: deserialize(parsed) };
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
      throw new TRPCError({ code: "BAD_REQUEST", message: '"input" needs to be an object when doing a batch call' });
    }
    const byIndex: Inputs = {};
    for (let index = 0; index < calls; index++) {
      const input = (parsed as Record<number, unknown>)[index];
      if (input !== undefined) byIndex[index] = deserialize(input);
    }
    return byIndex;
  };
  return {
    read: () => {
      read ??= (async () => {
        try {
          value = parse();
          return value;
        } catch (cause) {
          if (cause instanceof TRPCError) throw cause;
          throw new TRPCError({ code: "BAD_REQUEST", message: cause instanceof Error ? cause.message : "Invalid input", cause });
        }
      })();
      return read;
    },
    result: () => value,
  };
}
