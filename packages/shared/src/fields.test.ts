import { describe, expect, it } from "vitest";

import { emailSchema, fullNameSchema, passwordSchema } from "./fields";

describe("emailSchema", () => {
  it("trims and lower-cases", () => {
    expect(emailSchema.parse("  Alice@Example.COM ")).toBe("alice@example.com");
  });

  it("rejects non-addresses and over-long ones", () => {
    expect(emailSchema.safeParse("not-an-email").success).toBe(false);
    const long = `${"a".repeat(64)}@${"b".repeat(186)}.com`; // 255 chars
    expect(long.length).toBe(255);
    expect(emailSchema.safeParse(long).success).toBe(false);
  });
});

describe("passwordSchema", () => {
  it("accepts 72 bytes and rejects 73", () => {
    expect(passwordSchema.safeParse("a".repeat(72)).success).toBe(true);
    expect(passwordSchema.safeParse("a".repeat(73)).success).toBe(false);
  });

  it("counts UTF-8 bytes, not characters", () => {
    // 24 three-byte characters = 72 bytes; one more is 75.
    expect(passwordSchema.safeParse("€".repeat(24)).success).toBe(true);
    expect(passwordSchema.safeParse("€".repeat(25)).success).toBe(false);
  });

  it("rejects short passwords", () => {
    expect(passwordSchema.safeParse("1234567").success).toBe(false);
  });
});

describe("fullNameSchema", () => {
  it("trims, allows null, rejects blank", () => {
    expect(fullNameSchema.parse("  Ada  ")).toBe("Ada");
    expect(fullNameSchema.parse(null)).toBeNull();
    expect(fullNameSchema.safeParse("   ").success).toBe(false);
  });
});

describe("NUL characters", () => {
  it("are refused in every stored or hashed field", () => {
    expect(emailSchema.safeParse("a\u0000@example.com").success).toBe(false);
    expect(passwordSchema.safeParse("password\u0000tail").success).toBe(false);
    expect(fullNameSchema.safeParse("Ada\u0000").success).toBe(false);
  });
});
