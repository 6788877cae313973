import { describe, expect, it } from "vitest";

import { ERASED, scrubDetail } from "./audit-erasure";

describe("scrubDetail", () => {
  it("erases personal keys at any depth and any string equal to a known value, keeping ids and reasons", () => {
    const detail = {
      reason: "wrong_password",
      email: "ada@example.com",
      sessionId: "8c1d",
      changes: { fullName: "Ada Lovelace", isAdmin: true, email: "new@example.com" },
      note: ["ADA@example.com", "kept"],
    };
    expect(scrubDetail(detail, ["ada@example.com", "Ada Lovelace"])).toEqual({
      reason: "wrong_password",
      email: ERASED,
      sessionId: "8c1d",
      changes: { fullName: ERASED, isAdmin: true, email: ERASED },
      note: [ERASED, "kept"],
    });
  });

  it("leaves detail without personal data as it was, and ignores empty known values", () => {
    const detail = { fields: ["fullName"], allSessions: false, sessionId: "x", name: null };
    expect(scrubDetail(detail, ["", "someone@example.com"])).toEqual(detail);
  });
});
