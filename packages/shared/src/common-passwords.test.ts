import { describe, expect, it } from "vitest";

import { isCommonPassword, loadCommonPasswords, passwordProblem } from "./common-passwords";

describe("common-password list", () => {
  it("holds at least 100 000 entries (the contract's minimum)", () => {
    expect(loadCommonPasswords().size).toBeGreaterThanOrEqual(100_000);
  });

  it("is loaded once", () => {
    expect(loadCommonPasswords()).toBe(loadCommonPasswords());
  });

  it("matches case-insensitively, in NFC and ignoring surrounding spaces", () => {
    expect(isCommonPassword("password")).toBe(true);
    expect(isCommonPassword("PassWord")).toBe(true);
    expect(isCommonPassword(" password ")).toBe(true);
    expect(isCommonPassword("12345678")).toBe(true);
    expect(isCommonPassword("qwertyuiop")).toBe(true);
    expect(isCommonPassword("iloveyou")).toBe(true);
    expect(isCommonPassword("v7#Lq!zR0p-Tundra")).toBe(false);
  });
});

describe("passwordProblem", () => {
  it("refuses common passwords with COMMON_PASSWORD", () => {
    expect(passwordProblem("password")).toBe("COMMON_PASSWORD");
    expect(passwordProblem("Password1")).toBe("COMMON_PASSWORD");
    expect(passwordProblem("baseball")).toBe("COMMON_PASSWORD");
  });

  it("refuses the email and its local part, case-insensitively", () => {
    const email = "zoe.quill-19@example.com";
    expect(passwordProblem("zoe.quill-19@example.com", { email })).toBe("COMMON_PASSWORD");
    expect(passwordProblem("Zoe.Quill-19@Example.COM", { email })).toBe("COMMON_PASSWORD");
    expect(passwordProblem("zoe.quill-19", { email })).toBe("COMMON_PASSWORD");
    expect(passwordProblem("ZOE.QUILL-19", { email: "Zoe.Quill-19@example.com" })).toBe("COMMON_PASSWORD");
    // the same strings are fine for another account
    expect(passwordProblem("zoe.quill-19", { email: "someone@example.com" })).toBeNull();
    expect(passwordProblem("zoe.quill-19")).toBeNull();
  });

  it("refuses whitespace-only and invisible-only passwords as too short", () => {
    expect(passwordProblem("        ")).toBe("TOO_SHORT");
    expect(passwordProblem("\u200b".repeat(8))).toBe("TOO_SHORT");
    expect(passwordProblem("\u202e\u2066\u00ad\ufeff\u200d\u200c\u2060\u0007")).toBe("TOO_SHORT");
    expect(passwordProblem("abc\u200b\u200b\u200b\u200b\u200b")).toBe("TOO_SHORT");
  });

  it("keeps the length rules (after NFC)", () => {
    expect(passwordProblem("1234567")).toBe("TOO_SHORT");
    expect(passwordProblem("€".repeat(25))).toBe("TOO_LONG");
    expect(passwordProblem("e\u0301".repeat(36))).toBeNull(); // NFD: 108 bytes, NFC: 72 bytes
    expect(passwordProblem("p\u0000ssword-x")).toBe("INVALID_CHARACTERS");
  });

  it("accepts a reasonable password", () => {
    expect(passwordProblem("correct horse battery staple", { email: "alice@example.com" })).toBeNull();
    expect(passwordProblem("Ünïcödé-Tundra-42")).toBeNull();
  });
});
