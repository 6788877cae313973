import type { Database } from "@voiceassist/db";

import { DomainError } from "../../errors";
import type { Actor } from "../actor";
import { recordAudit, type AuditOrigin } from "../audit";
import type { MailDeps } from "../mail";
import type { PasswordHasher } from "../passwords";
import { replaceBackupCodes } from "./backup-codes";
import { settleFactorChange } from "./factor-change";
import { enrolledFactors, useCurrentCode } from "./factors";
import { tellUserAboutMfa } from "./notices";
import { assertCurrentPassword, lockForFactorChange, wrongCode } from "./proof";
import { TOTP_ENROLMENT_TTL_SECONDS, type MfaSettings } from "./settings";
import { matchTotpStep, newTotpSecret, totpProvisioning } from "./totp";
import { consumeTotpStep, deleteTotp, loadTotpSecret, savePendingTotp } from "./totp-store";

export interface MfaDeps {
  db: Database;
  passwords: PasswordHasher;
  mfa: MfaSettings;
  /** Every factor change mails the user (notices.ts), in the change's transaction. */
  mail: MailDeps;
}

const totpAlreadyEnabled = () => new DomainError("invalid_input", "TOTP is already enabled; disable it first to set up a new one");

/** `mfa.totp.begin`: a new secret, kept pending (encrypted) until a code confirms it. Needs the password. */
export async function beginTotpEnrolment(deps: MfaDeps, who: Actor, input: { currentPassword: string }) {
  const { email } = await assertCurrentPassword(deps, who.userId, input.currentPassword);
  const secret = newTotpSecret();
  if (!(await savePendingTotp(deps.db, deps.mfa, who.userId, secret))) throw totpAlreadyEnabled();
  return { secret, ...(await totpProvisioning(secret, email)) };
}

/**
 * `mfa.totp.confirm`: a code from the pending secret turns it into a factor
 * and returns 10 fresh backup codes. The confirming step is used up, so that
 * code (and any earlier one) can never sign in.
 */
export async function confirmTotpEnrolment(deps: MfaDeps, who: Actor, input: { code: string }, origin: AuditOrigin) {
  const pending = await loadTotpSecret(deps.db, deps.mfa, who.userId, false);
  const fresh = pending && Date.now() - pending.createdAt.getTime() < TOTP_ENROLMENT_TTL_SECONDS * 1000;
  if (!pending || !fresh) {
    if ((await enrolledFactors(deps.db, who.userId)).totp) throw totpAlreadyEnabled();
    throw new DomainError("invalid_input", "No TOTP set-up in progress (or it expired): start again with mfa.totp.begin");
  }
  const step = matchTotpStep(pending.secret, input.code, deps.mfa.now());
  if (step === null) throw wrongCode();
  const result = await deps.db.transaction(async (tx) => {
    await lockForFactorChange(tx, who);
    if (!(await consumeTotpStep(tx, who.userId, step, true))) throw wrongCode();
    const backupCodes = await replaceBackupCodes(tx, who.userId);
    await settleFactorChange(tx, who);
    await recordAudit(tx, origin, { action: "mfa.totp.enabled", outcome: "success", actorId: who.userId, targetUserId: who.userId });
    await tellUserAboutMfa(tx, deps.mail.settings, who.userId, { kind: "totp_enabled" });
    return { backupCodes };
  });
  deps.mail.wake();
  return result;
}

/** `mfa.totp.disable`: takes a current TOTP or backup code; other sessions end. */
export async function disableTotp(deps: MfaDeps, who: Actor, input: { code: string }, origin: AuditOrigin) {
  if (!(await enrolledFactors(deps.db, who.userId)).totp) throw new DomainError("invalid_input", "TOTP is not enabled");
  await deps.db.transaction(async (tx) => {
    await lockForFactorChange(tx, who);
    const method = await useCurrentCode(tx, deps.mfa, who.userId, input.code);
    if (!method) throw wrongCode();
    await deleteTotp(tx, who.userId);
    await settleFactorChange(tx, who);
    await recordAudit(tx, origin, {
      action: "mfa.totp.disabled",
      outcome: "success",
      actorId: who.userId,
      targetUserId: who.userId,
      detail: { proof: method },
    });
    await tellUserAboutMfa(tx, deps.mail.settings, who.userId, { kind: "totp_disabled" });
  });
  deps.mail.wake();
  return { success: true as const };
}

/** `mfa.backupCodes.regenerate`: a current code buys 10 new codes; the old ones stop working. */
export async function regenerateBackupCodes(deps: MfaDeps, who: Actor, input: { code: string }, origin: AuditOrigin) {
  const result = await deps.db.transaction(async (tx) => {
    await lockForFactorChange(tx, who);
    const method = await useCurrentCode(tx, deps.mfa, who.userId, input.code);
    if (!method) throw wrongCode();
    const backupCodes = await replaceBackupCodes(tx, who.userId);
    await recordAudit(tx, origin, {
      action: "mfa.backup_codes.regenerated",
      outcome: "success",
      actorId: who.userId,
      targetUserId: who.userId,
      detail: { proof: method },
    });
    await tellUserAboutMfa(tx, deps.mail.settings, who.userId, { kind: "backup_codes_regenerated" });
    return { backupCodes };
  });
  deps.mail.wake();
  return result;
}
