import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, describe, expect, it } from "vitest";

import {
  type CommonPasswordList,
  COMMON_PASSWORDS_FILE,
  commonPasswordIndexPath,
  comparable,
  isCommonPassword,
  loadCommonPasswords,
  passwordProblem,
  readCommonPasswordList,
} from "./common-passwords";
import { PASSWORD_MIN_LENGTH } from "./fields";

const listLines = readFileSync(createRequire(import.meta.url).resolve(COMMON_PASSWORDS_FILE), "utf8").split("\n");

/** What the list meant before the index: every line of at least PASSWORD_MIN_LENGTH characters, folded. */
let referenceSet: Set<string> | undefined;
function reference(): Set<string> {
  if (referenceSet) return referenceSet;
  referenceSet = new Set();
  for (const line of listLines) if (line.length >= PASSWORD_MIN_LENGTH) referenceSet.add(comparable(line));
  return referenceSet;
}

const scratch = mkdtempSync(join(tmpdir(), "va-common-passwords-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("common-password list", () => {
  it("holds at least 100 000 entries (the contract's minimum)", () => {
    expect(loadCommonPasswords().size).toBeGreaterThanOrEqual(100_000);
  });

  it("is loaded once", () => {
    expect(loadCommonPasswords()).toBe(loadCommonPasswords());
  });

  /** Lookups that disagree with the reference, over `lines` (the short ones fold to values that may be absent) and near misses. */
  function wrongAnswers(list: CommonPasswordList, lines: readonly string[]): string[] {
    const wrong: string[] = [];
    for (const line of lines) {
      const value = comparable(line);
      for (const probe of [value, `${value}\u0000`, value.slice(1)]) {
        if (list.has(probe) !== reference().has(probe)) wrong.push(probe);
      }
    }
    return wrong;
  }

  it("holds exactly the folded entries of the whole list, in the order its binary search relies on", () => {
    loadCommonPasswords(); // builds the index file if this is the first run
    const list = readCommonPasswordList(); // reads that file, as a server start does
    expect(list.size).toBe(reference().size);
    const problems: string[] = [];
    let previous: Buffer | undefined;
    for (const entry of list.entries()) {
      if (!reference().has(entry.toString("utf8"))) problems.push(`not in the list: ${entry.toString("utf8")}`);
      if (previous && Buffer.compare(previous, entry) >= 0) problems.push(`out of order: ${entry.toString("utf8")}`);
      previous = entry;
    }
    expect(problems).toEqual([]);
    // Each lookup reads the file (~40 small reads): a sample here, every line below from memory.
    expect(
      wrongAnswers(
        list,
        listLines.filter((_, i) => i % 97 === 0),
      ),
    ).toEqual([]);
  }, 60_000);

  it("rebuilds a malformed index, which then answers as the Set would for every line of the list", () => {
    expect(commonPasswordIndexPath()).toMatch(/node_modules[/\\].cache[/\\]voiceassist[/\\]common-passwords-[0-9a-f]{16}\.bin$/);
    const path = join(scratch, "index.bin");
    writeFileSync(path, "not an index");
    const rebuilt = readCommonPasswordList(path); // the index just written, from memory
    expect(readFileSync(path).equals(readFileSync(commonPasswordIndexPath()))).toBe(true);
    expect(rebuilt.size).toBe(reference().size);
    expect(wrongAnswers(rebuilt, listLines)).toEqual([]);
  }, 60_000);

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
