import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createClient, errorCode, errorMessage, fieldErrors, retryAfterSeconds } from "../src";
import { fromIp, PASSWORD, startTestServer, uniqueEmail, type TestServer } from "./support";

/** What the apps show comes from these helpers, so check them on real server errors. */
describe("error helpers on real API errors", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.close());

  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => expect.fail("expected a rejection"),
      (error: unknown) => error,
    );

  it("turns zod issues into per-field messages", async () => {
    const client = createClient({ url: server.trpcUrl, headers: fromIp });
    const error = await failure(client.auth.register.mutate({ email: "not-an-email", password: "short" }));
    expect(errorCode(error)).toBe("BAD_REQUEST");
    expect(Object.keys(fieldErrors(error)).sort()).toEqual(["email", "password"]);
    expect(errorMessage(error)).toBe("Please correct the highlighted fields.");
  });

  it("reads the wait from a 429 and says it in words", async () => {
    const headers = fromIp();
    const client = createClient({ url: server.trpcUrl, headers: () => headers });
    // register allows 5 an hour per client address; the sixth is refused.
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, () => client.auth.register.mutate({ email: uniqueEmail(), password: PASSWORD })),
    );
    const refused = results.filter((result): result is PromiseRejectedResult => result.status === "rejected");
    expect(refused).toHaveLength(1);
    const error: unknown = refused[0]!.reason;
    expect(errorCode(error)).toBe("TOO_MANY_REQUESTS");
    expect(retryAfterSeconds(error)).toBeGreaterThan(0);
    expect(errorMessage(error)).toMatch(/^Too many attempts\. Try again in \d+ (seconds?|minutes)\.$/);
  });

  it("keeps the server's message for domain errors and names network failures", async () => {
    const client = createClient({ url: server.trpcUrl, headers: fromIp });
    const error = await failure(client.auth.login.mutate({ email: uniqueEmail(), password: PASSWORD }));
    expect(errorMessage(error)).toBe("Invalid email or password");

    const offline = createClient({ url: "http://127.0.0.1:9/trpc" });
    const network = await failure(offline.health.live.query());
    expect(errorCode(network)).toBeNull();
    expect(errorMessage(network)).toMatch(/Cannot reach the server/);
  });
});
