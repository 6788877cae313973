import { describe, expect, it } from "vitest";

import { emailSchema, existingPasswordSchema, fullNameSchema, passwordSchema, passwordShapeProblem } from "./fields";

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

  it("rejects whitespace-only passwords", () => {
    expect(passwordSchema.safeParse("        ").success).toBe(false);
    expect(passwordSchema.safeParse("\t\n\u00a0\u3000    ").success).toBe(false);
  });

  it("rejects zero-width, format and control characters as filler", () => {
    expect(passwordSchema.safeParse("\u200b".repeat(8)).success).toBe(false);
    expect(passwordSchema.safeParse("\ufeff\u200c\u200d\u2060\u202e\u2066\u00ad\u0007").success).toBe(false);
    expect(passwordSchema.safeParse(`abcd${"\u200b".repeat(10)}`).success).toBe(false);
    expect(passwordShapeProblem("\u200b".repeat(8))).toBe("TOO_SHORT");
  });

  it("counts visible characters, so spaces inside a passphrase are fine", () => {
    expect(passwordSchema.safeParse("abcd efgh").success).toBe(true);
    expect(passwordSchema.safeParse("abc defg").success).toBe(false); // 7 visible
    expect(passwordSchema.safeParse("😀".repeat(8)).success).toBe(true);
  });

  it("measures the NFC form, without changing the value", () => {
    const nfd = "e\u0301".repeat(36); // 108 bytes as typed, 72 bytes in NFC
    expect(passwordSchema.parse(nfd)).toBe(nfd);
    expect(passwordShapeProblem(nfd)).toBeNull();
    expect(passwordSchema.safeParse("e\u0301".repeat(37)).success).toBe(false); // 74 bytes in NFC
  });
});

describe("existingPasswordSchema", () => {
  it("has no strength rules (old passwords can still sign in) but bounds the input", () => {
    expect(existingPasswordSchema.safeParse("short").success).toBe(true);
    expect(existingPasswordSchema.safeParse("").success).toBe(false);
    expect(existingPasswordSchema.safeParse("a".repeat(1025)).success).toBe(false);
    expect(existingPasswordSchema.safeParse("a\u0000").success).toBe(false);
  });
});

describe("fullNameSchema", () => {
  it("trims, allows null, rejects blank", () => {
    expect(fullNameSchema.parse("  Ada  ")).toBe("Ada");
    expect(fullNameSchema.parse(null)).toBeNull();
    expect(fullNameSchema.safeParse("   ").success).toBe(false);
  });

  it("accepts names in any script, with accents, apostrophes, hyphens and emoji", () => {
    for (const name of [
      "José Ñúñez",
      "Zoë O'Brien-Smith",
      "D’Angelo",
      "山田 太郎",
      "Иван Петров",
      "محمد علي",
      "राम",
      "Ana 👩‍💻",
      "नमस्\u200dते",
      "می\u200cخواهم",
    ]) {
      expect(fullNameSchema.parse(name)).toBe(name);
    }
  });

  it("stores the NFC form", () => {
    const nfd = "Zoe\u0308 Mu\u0308ller";
    expect(fullNameSchema.parse(nfd)).toBe("Zoë Müller");
    expect(fullNameSchema.parse(nfd)).toBe(nfd.normalize("NFC"));
  });

  it("rejects control characters and ANSI escapes", () => {
    for (const name of [
      "Ada\nLovelace",
      "Ada\rLovelace",
      "Ada\tLovelace",
      "Ada\u0007",
      "Ada\u007f",
      "Ada\u0085",
      "\u001b[31mAda\u001b[0m",
      "Ada\u009b31m",
    ]) {
      expect(fullNameSchema.safeParse(name).success, JSON.stringify(name)).toBe(false);
    }
  });

  it("rejects bidi embeddings, overrides and isolates", () => {
    for (const cp of [0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069, 0x200e, 0x200f]) {
      expect(fullNameSchema.safeParse(`Ada ${String.fromCodePoint(cp)}ecalpsiM`).success, cp.toString(16)).toBe(false);
    }
  });

  it("rejects zero-width and other invisible-only values", () => {
    expect(fullNameSchema.safeParse("\u200b").success).toBe(false);
    expect(fullNameSchema.safeParse("\u200b\u200b\u200b").success).toBe(false);
    expect(fullNameSchema.safeParse("\u200d").success).toBe(false);
    expect(fullNameSchema.safeParse("\u3164\u3164").success).toBe(false); // Hangul filler
    expect(fullNameSchema.safeParse("Ada\u200bLovelace").success).toBe(false);
    expect(fullNameSchema.safeParse("Ada\ufeffLovelace").success).toBe(false);
    expect(fullNameSchema.safeParse("Ada\u2028Lovelace").success).toBe(false);
    expect(fullNameSchema.parse("\ufeffAda\ufeff")).toBe("Ada"); // trimmed like white space
  });

  it("allows ZWJ/ZWNJ only between visible characters", () => {
    expect(fullNameSchema.safeParse("Ada \u200d").success).toBe(false);
    expect(fullNameSchema.safeParse("\u200cAda").success).toBe(false);
  });
});

describe("NUL characters", () => {
  it("are refused in every stored or hashed field", () => {
    expect(emailSchema.safeParse("a\u0000@example.com").success).toBe(false);
    expect(passwordSchema.safeParse("password\u0000tail").success).toBe(false);
    expect(fullNameSchema.safeParse("Ada\u0000").success).toBe(false);
  });
});
