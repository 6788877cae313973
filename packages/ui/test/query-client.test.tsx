import { initTRPC, TRPCError } from "@trpc/server";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { describe, expect, it } from "vitest";

import { createClient, createMemoryTokenStore, createSessionClient } from "@voiceassist/client";
import { transformer } from "@voiceassist/shared";

import { createQueryClient, shouldRetry } from "../src/query-client";

/** Nothing listens on port 1: the connection is refused, as when the API is down. */
const UNREACHABLE = "http://127.0.0.1:1/trpc";

/** A real tRPC server answered in-process, counting the calls it gets. */
function answering(code: TRPCError["code"]) {
  const t = initTRPC.create({ transformer });
  const router = t.router({
    health: t.router({
      live: t.procedure.query(() => {
        calls++;
        throw new TRPCError({ code });
      }),
    }),
  });
  let calls = 0;
  const fetch = (url: RequestInfo | URL, init?: RequestInit) =>
    fetchRequestHandler({ endpoint: "/trpc", req: new Request(url, init), router, createContext: () => ({}) });
  return { fetch: fetch as typeof globalThis.fetch, calls: () => calls };
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.unreachable("the call succeeded"),
    (error: unknown) => error,
  );

describe("shouldRetry", () => {
  it("retries a call that got no answer, up to twice", async () => {
    const error = await failure(createClient({ url: UNREACHABLE }).health.live.query());
    expect(shouldRetry(0, error)).toBe(true);
    expect(shouldRetry(1, error)).toBe(true);
    expect(shouldRetry(2, error)).toBe(false);
  });

  it("retries a 5xx but never a 4xx", async () => {
    const server = answering("INTERNAL_SERVER_ERROR");
    expect(shouldRetry(0, await failure(createClient({ url: "http://api.test/trpc", fetch: server.fetch }).health.live.query()))).toBe(
      true,
    );
    for (const code of ["BAD_REQUEST", "UNAUTHORIZED", "FORBIDDEN", "NOT_FOUND", "TOO_MANY_REQUESTS"] as const) {
      const client = createClient({ url: "http://api.test/trpc", fetch: answering(code).fetch });
      expect(shouldRetry(0, await failure(client.health.live.query()))).toBe(false);
    }
  });

  it("is what the apps' query client uses: a 4xx query is asked once", async () => {
    const server = answering("BAD_REQUEST");
    const session = createSessionClient({ url: "http://api.test/trpc", fetch: server.fetch, store: createMemoryTokenStore() });
    const queryClient = createQueryClient();
    await failure(queryClient.fetchQuery({ queryKey: ["live"], queryFn: () => session.client.health.live.query() }));
    expect(server.calls()).toBe(1);
  });
});
