import { and, asc, count, eq, isNotNull, sql } from "drizzle-orm";

import { mfaTotp, passkeys, users, type Database } from "@voiceassist/db";

import { backupCodesRemaining, consumeBackupCode } from "./backup-codes";
import type { MfaSettings } from "./settings";
import { looksLikeTotpCode } from "./totp";
import { useTotpCode } from "./totp-store";

export type MfaMethod = "totp" | "webauthn" | "backup_code";

/** What the user has enrolled. */
export async function enrolledFactors(db: Database, userId: string) {
  const [[totp], [keys], backupCodes] = await Promise.all([
    db
      .select({ n: count() })
      .from(mfaTotp)
      .where(and(eq(mfaTotp.userId, userId), isNotNull(mfaTotp.confirmedAt))),
    db.select({ n: count() }).from(passkeys).where(eq(passkeys.userId, userId)),
    backupCodesRemaining(db, userId),
  ]);
  return { totp: (totp?.n ?? 0) > 0, passkeys: keys?.n ?? 0, backupCodes };
}

/** The methods a sign-in challenge offers, from what is enrolled. */
export function methodsOf(factors: Awaited<ReturnType<typeof enrolledFactors>>): MfaMethod[] {
  const methods: MfaMethod[] = [];
  if (factors.totp) methods.push("totp");
  if (factors.passkeys > 0) methods.push("webauthn");
  if (factors.backupCodes > 0) methods.push("backup_code");
  return methods;
}

/** `mfa.status`: the factors, passkeys by name, and how many backup codes are left. */
export async function mfaStatus(db: Database, userId: string) {
  const [factors, keys] = await Promise.all([
    enrolledFactors(db, userId),
    db
      .select({ id: passkeys.id, name: passkeys.name, createdAt: passkeys.createdAt, lastUsedAt: passkeys.lastUsedAt })
      .from(passkeys)
      .where(eq(passkeys.userId, userId))
      .orderBy(asc(passkeys.createdAt), asc(passkeys.id)),
  ]);
  return { totp: factors.totp, passkeys: keys, backupCodesRemaining: factors.backupCodes };
}

/**
 * Sets `users.mfaEnabled` from the factors themselves (a confirmed TOTP or any
 * passkey), in the caller's transaction, so the flag cannot drift from them.
 */
export async function syncMfaEnabled(db: Database, userId: string): Promise<boolean> {
  const [row] = await db
    .update(users)
    .set({
      mfaEnabled: sql`exists (select 1 from ${mfaTotp} where ${mfaTotp.userId} = ${userId} and ${mfaTotp.confirmedAt} is not null)
        or exists (select 1 from ${passkeys} where ${passkeys.userId} = ${userId})`,
    })
    .where(eq(users.id, userId))
    .returning({ mfaEnabled: users.mfaEnabled });
  return row?.mfaEnabled ?? false;
}

/** Checks and uses up a current code: six digits are a TOTP code, anything else a backup code. */
export async function useCurrentCode(db: Database, mfa: MfaSettings, userId: string, code: string): Promise<MfaMethod | null> {
  if (looksLikeTotpCode(code)) return (await useTotpCode(db, mfa, userId, code)) ? "totp" : null;
  return (await consumeBackupCode(db, userId, code)) ? "backup_code" : null;
}
