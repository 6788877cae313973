import { and, eq, isNotNull, isNull, lt, or, sql } from "drizzle-orm";

import { mfaTotp, type Database } from "@voiceassist/db";

import type { MfaSettings } from "./settings";
import { matchTotpStep } from "./totp";

/** The user's TOTP secret, decrypted; `confirmed` picks the enrolled one or the pending one. */
export async function loadTotpSecret(db: Database, mfa: MfaSettings, userId: string, confirmed: boolean) {
  const [row] = await db
    .select()
    .from(mfaTotp)
    .where(and(eq(mfaTotp.userId, userId), confirmed ? isNotNull(mfaTotp.confirmedAt) : isNull(mfaTotp.confirmedAt)));
  if (!row) return null;
  return { ...row, secret: mfa.secretBox.open(row.secretCiphertext, row.secretKeyVersion, userId) };
}

/** Stores a started enrolment's secret (sealed), replacing an earlier unconfirmed one. */
export async function savePendingTotp(db: Database, mfa: MfaSettings, userId: string, secret: string) {
  const { ciphertext, keyVersion } = mfa.secretBox.seal(secret, userId);
  const values = {
    secretCiphertext: ciphertext,
    secretKeyVersion: keyVersion,
    lastUsedStep: null,
    createdAt: sql`now()`,
    confirmedAt: null,
  };
  const written = await db
    .insert(mfaTotp)
    .values({ userId, ...values })
    .onConflictDoUpdate({ target: mfaTotp.userId, set: values, setWhere: isNull(mfaTotp.confirmedAt) })
    .returning({ userId: mfaTotp.userId });
  return written.length === 1;
}

/**
 * Accepts `step` at most once, in one conditional UPDATE: it must be later
 * than the last accepted step, so a replayed code (or one from before the
 * last use, enrolment included) matches no row. Of two concurrent uses of
 * one code exactly one wins. `confirm` turns a pending enrolment into a factor.
 */
export async function consumeTotpStep(db: Database, userId: string, step: number, confirm = false): Promise<boolean> {
  const used = await db
    .update(mfaTotp)
    .set({ lastUsedStep: step, ...(confirm ? { confirmedAt: sql`now()` } : {}) })
    .where(
      and(
        eq(mfaTotp.userId, userId),
        confirm ? isNull(mfaTotp.confirmedAt) : isNotNull(mfaTotp.confirmedAt),
        or(isNull(mfaTotp.lastUsedStep), lt(mfaTotp.lastUsedStep, step)),
      ),
    )
    .returning({ userId: mfaTotp.userId });
  return used.length === 1;
}

/**
 * Checks a code against the user's enrolled TOTP at the injected clock and
 * uses up its step. A secret sealed under an old key is re-sealed under the
 * current one on the way.
 */
export async function useTotpCode(db: Database, mfa: MfaSettings, userId: string, code: string): Promise<boolean> {
  const totp = await loadTotpSecret(db, mfa, userId, true);
  if (!totp) return false;
  const step = matchTotpStep(totp.secret, code, mfa.now());
  if (step === null || !(await consumeTotpStep(db, userId, step))) return false;
  await resealIfStale(db, mfa, userId, totp);
  return true;
}

/** Key rotation: a secret read under an older key is sealed again under the current one. */
export async function resealIfStale(db: Database, mfa: MfaSettings, userId: string, totp: { secret: string; secretKeyVersion: number }) {
  if (mfa.secretBox.currentVersion === 0 || totp.secretKeyVersion === mfa.secretBox.currentVersion) return;
  const { ciphertext, keyVersion } = mfa.secretBox.seal(totp.secret, userId);
  await db.update(mfaTotp).set({ secretCiphertext: ciphertext, secretKeyVersion: keyVersion }).where(eq(mfaTotp.userId, userId));
}

export async function deleteTotp(db: Database, userId: string): Promise<boolean> {
  const deleted = await db.delete(mfaTotp).where(eq(mfaTotp.userId, userId)).returning({ userId: mfaTotp.userId });
  return deleted.length === 1;
}
