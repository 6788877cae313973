import { initTRPC, TRPCError } from "@trpc/server";
import type { FastifyRequest } from "fastify";
import superjson from "superjson";
import { describe, expect, it } from "vitest";
import { z } from "zod";

import { answerQueryFast } from "./trpc-query-fast-path";

// Which requests the fast path takes, against a small real tRPC router; that
// its answers equal resolveResponse's is test/trpc-fast-path.test.ts.
const t = initTRPC.create({ transformer: superjson });
const router = t.router({
  hello: t.procedure.input(z.object({ name: z.string() }).optional()).query(({ input }) => ({ hi: input?.name ?? "you", at: new Date(0) })),
  refuse: t.procedure.query(() => {
    throw new TRPCError({ code: "FORBIDDEN", message: "no" });
  }),
  change: t.procedure.mutation(() => "changed"),
});

const errors: string[] = [];
const options = {
  router,
  maxBatchSize: 3,
  createContext: async () => ({}),
  responseHeaders: (list: TRPCError[]): Record<string, string> => (list.length ? { "x-errors": String(list.length) } : {}),
  onError: (error: TRPCError, path: string) => errors.push(`${path}:${error.code}`),
};
const request = (query: Record<string, unknown> = {}, headers: Record<string, string> = {}, method = "GET") =>
  ({ method, query, headers }) as unknown as FastifyRequest;

describe("answerQueryFast", () => {
  it("answers a single GET query, its input through the transformer", async () => {
    const input = JSON.stringify(superjson.serialize({ name: "Ada" }));
    const answer = await answerQueryFast(options, request({ input }), "hello");
    expect(answer?.status).toBe(200);
    expect(answer?.headers).toEqual({ vary: "trpc-accept, accept", "content-type": "application/json" });
    expect(superjson.deserialize(JSON.parse(answer!.body).result.data)).toEqual({ hi: "Ada", at: new Date(0) });
  });

  it("answers a refusal with tRPC's error shape, status and the callers' headers, and reports it", async () => {
    const answer = await answerQueryFast(options, request(), "refuse");
    expect(answer?.status).toBe(403);
    expect(answer?.headers["x-errors"]).toBe("1");
    expect(JSON.parse(answer!.body).error.json).toMatchObject({
      message: "no",
      data: { code: "FORBIDDEN", httpStatus: 403, path: "refuse" },
    });
    expect(errors).toContain("refuse:FORBIDDEN");
  });

  it("answers a batch of queries as the typed client sends it, each with its own input and outcome", async () => {
    const input = JSON.stringify({ 1: superjson.serialize({ name: "Grace" }) });
    const answer = await answerQueryFast(options, request({ batch: "1", input }), "hello,hello,refuse");
    const [first, second, third] = JSON.parse(answer!.body);
    expect(superjson.deserialize<{ hi: string }>(first.result.data).hi).toBe("you");
    expect(superjson.deserialize<{ hi: string }>(second.result.data).hi).toBe("Grace");
    expect(third.error.json.data.code).toBe("FORBIDDEN");
    expect(answer?.status).toBe(207);
    expect(answer?.headers["x-errors"]).toBe("1");
  });

  it("leaves everything else to resolveResponse", async () => {
    expect(await answerQueryFast(options, request({ batch: "true" }), "hello")).toBeUndefined();
    expect(await answerQueryFast(options, request({ batch: "1" }), "hello,hello,hello,hello")).toBeUndefined();
    expect(await answerQueryFast(options, request({ batch: "1" }), "hello,change")).toBeUndefined();
    expect(await answerQueryFast(options, request({ input: ["a", "b"] }), "hello")).toBeUndefined();
    expect(await answerQueryFast(options, request({ connectionParams: "1" }), "hello")).toBeUndefined();
    expect(await answerQueryFast(options, request({}, { "trpc-accept": "application/jsonl" }), "hello")).toBeUndefined();
    expect(await answerQueryFast(options, request({}, { accept: "application/jsonl" }), "hello")).toBeUndefined();
    expect(await answerQueryFast(options, request({}, {}, "POST"), "hello")).toBeUndefined();
    expect(await answerQueryFast(options, request(), "change")).toBeUndefined();
    expect(await answerQueryFast(options, request(), "nothing")).toBeUndefined();
    expect(await answerQueryFast(options, request(), "hel%6Co")).toBeUndefined();
  });
});
