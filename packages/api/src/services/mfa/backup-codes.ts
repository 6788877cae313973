import { createHash, randomInt } from "node:crypto";

import { and, count, eq, isNull, sql } from "drizzle-orm";

import { mfaBackupCodes, type Database } from "@voiceassist/db";

export const BACKUP_CODE_COUNT = 10;
/** Crockford's base32: no I, L, O or U, so codes read aloud and type without confusion. */
const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";
/** 12 symbols of 5 bits: 60 bits each, shown as xxxx-xxxx-xxxx. */
const SYMBOLS = 12;

/** One new code, e.g. "7k3m-q9xa-2hdp". */
function newBackupCode(): string {
  let code = "";
  for (let i = 0; i < SYMBOLS; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`;
}

/** What a typed code means: case, spaces and dashes do not matter, nor I/L for 1 or O for 0. */
export function normaliseBackupCode(input: string): string {
  return input.toLowerCase().replace(/[\s-]/g, "").replace(/[il]/g, "1").replace(/o/g, "0");
}

const hashCode = (code: string) => createHash("sha256").update(normaliseBackupCode(code)).digest("hex");

/** Replaces the user's codes with 10 new ones; returns them (shown once, only their hashes are kept). */
export async function replaceBackupCodes(db: Database, userId: string): Promise<string[]> {
  const codes = Array.from({ length: BACKUP_CODE_COUNT }, newBackupCode);
  await db.delete(mfaBackupCodes).where(eq(mfaBackupCodes.userId, userId));
  await db.insert(mfaBackupCodes).values(codes.map((code) => ({ userId, codeHash: hashCode(code) })));
  return codes;
}

/**
 * Uses up one code in one conditional UPDATE: of two concurrent uses of the
 * same code exactly one matches an unused row, the other finds it used.
 */
export async function consumeBackupCode(db: Database, userId: string, code: string): Promise<boolean> {
  const normalised = normaliseBackupCode(code);
  if (normalised.length !== SYMBOLS) return false;
  const used = await db
    .update(mfaBackupCodes)
    .set({ usedAt: sql`now()` })
    .where(and(eq(mfaBackupCodes.userId, userId), eq(mfaBackupCodes.codeHash, hashCode(normalised)), isNull(mfaBackupCodes.usedAt)))
    .returning({ id: mfaBackupCodes.id });
  return used.length === 1;
}

export async function backupCodesRemaining(db: Database, userId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(mfaBackupCodes)
    .where(and(eq(mfaBackupCodes.userId, userId), isNull(mfaBackupCodes.usedAt)));
  return row?.n ?? 0;
}

export async function deleteBackupCodes(db: Database, userId: string): Promise<void> {
  await db.delete(mfaBackupCodes).where(eq(mfaBackupCodes.userId, userId));
}
