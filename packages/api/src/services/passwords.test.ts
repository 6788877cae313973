import { hash } from "@node-rs/bcrypt";
import { describe, expect, it } from "vitest";

import { createPasswordHasher } from "./passwords";

const NFC = "Ünïcödé-pass"; // precomposed letters
const NFD = NFC.normalize("NFD"); // base letters + combining marks

describe("createPasswordHasher and Unicode normalisation", () => {
  const hasher = createPasswordHasher(4);

  it("uses distinct byte strings in these tests", () => {
    expect(NFD).not.toBe(NFC);
    expect(NFD.normalize("NFC")).toBe(NFC);
  });

  it("hashes the NFC form: a password typed in NFD verifies against a hash made from NFC, and back", async () => {
    const fromNfc = await hasher.hash(NFC);
    expect(await hasher.verify(NFD, fromNfc)).toBe(true);
    const fromNfd = await hasher.hash(NFD);
    expect(await hasher.verify(NFC, fromNfd)).toBe(true);
    expect(await hasher.verify(NFD, fromNfd)).toBe(true);
  });

  it("still verifies a hash made before normalisation from a raw NFD input", async () => {
    const legacy = await hash(NFD, 4); // what the old hasher stored
    expect(await hasher.verify(NFD, legacy)).toBe(true);
  });

  it("refuses other passwords, and malformed hashes without throwing", async () => {
    const legacy = await hash(NFD, 4);
    expect(await hasher.verify("Unicode-pass", legacy)).toBe(false);
    expect(await hasher.verify(NFD, "not-a-bcrypt-hash")).toBe(false);
  });

  it("never matches a missing hash (an invitation not yet accepted), whatever the password", async () => {
    expect(await hasher.verify("", null)).toBe(false);
    expect(await hasher.verify(NFC, null)).toBe(false);
  });
});

describe("assertAcceptablePassword", () => {
  it("throws invalid_input with reason COMMON_PASSWORD for listed passwords and the email", async () => {
    const { assertAcceptablePassword } = await import("./password-policy");
    const { DomainError } = await import("../errors");
    for (const [password, email] of [
      ["password", "ada@example.com"],
      ["ada@example.com", "Ada@Example.com"],
      ["ADA.LOVELACE", "ada.lovelace@example.com"],
    ] as const) {
      let thrown: unknown;
      try {
        assertAcceptablePassword(password, email);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(DomainError);
      expect(thrown).toMatchObject({ kind: "invalid_input", reason: "COMMON_PASSWORD" });
    }
    expect(() => assertAcceptablePassword("        ", null)).toThrow(DomainError);
    expect(() => assertAcceptablePassword("correct horse battery staple", "ada@example.com")).not.toThrow();
  });
});
