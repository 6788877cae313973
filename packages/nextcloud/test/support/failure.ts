import { expect } from "vitest";
import { NextcloudError } from "../../src/errors";

/** Awaits a promise that must reject with a NextcloudError and returns that error. */
export async function failure(promise: Promise<unknown>): Promise<NextcloudError> {
  const error = await promise.then(
    () => new Error("expected a rejection, got a result"),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(NextcloudError);
  return error as NextcloudError;
}

/** A fetch that counts calls and can fail the first `failFirst` of them like an unreachable host. */
export function countingFetch(failFirst = 0): { fetch: typeof globalThis.fetch; calls: () => number } {
  let calls = 0;
  const wrapped: typeof globalThis.fetch = (input, init) => {
    calls++;
    if (calls <= failFirst) {
      const cause = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), { code: "ECONNREFUSED" });
      return Promise.reject(new TypeError("fetch failed", { cause }));
    }
    return globalThis.fetch(input, init);
  };
  return { fetch: wrapped, calls: () => calls };
}
