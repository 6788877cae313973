import { describe, expect, it } from "vitest";

import { errorEnvelope } from "../src/plugins/error-envelope";

describe("errorEnvelope takes its codes from tRPC's tables", () => {
  it.each([
    [400, "BAD_REQUEST", -32600],
    [404, "NOT_FOUND", -32004],
    [405, "METHOD_NOT_SUPPORTED", -32005],
    [408, "TIMEOUT", -32008],
    [413, "PAYLOAD_TOO_LARGE", -32013],
    [415, "UNSUPPORTED_MEDIA_TYPE", -32015],
    [500, "INTERNAL_SERVER_ERROR", -32603],
    [503, "SERVICE_UNAVAILABLE", -32603],
    // Statuses tRPC has no key for fall back to their class's generic key.
    [414, "BAD_REQUEST", -32600],
    [431, "BAD_REQUEST", -32600],
    [599, "INTERNAL_SERVER_ERROR", -32603],
  ])("%i is %s (%i)", (status, key, number) => {
    expect(errorEnvelope(status, "m", "req-1")).toEqual({
      error: { json: { message: "m", code: number, data: { code: key, httpStatus: status, requestId: "req-1" } } },
    });
  });
});
