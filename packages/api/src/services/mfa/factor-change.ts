import type { Database } from "@voiceassist/db";

import type { Actor } from "../actor";
import { advanceCredentials, revokeUserSessions } from "../sessions";
import { deleteBackupCodes } from "./backup-codes";
import { syncMfaEnabled } from "./factors";

/**
 * What every enrolment or removal ends with, inside its transaction: the
 * user's flag follows the factors, and the credentials version moves on, so
 * every other session (made before the change) dies; the caller's own is
 * carried over, as a password change does. Backup codes go with the last factor.
 */
export async function settleFactorChange(tx: Database, who: Actor): Promise<{ mfaEnabled: boolean }> {
  const mfaEnabled = await syncMfaEnabled(tx, who.userId);
  if (!mfaEnabled) await deleteBackupCodes(tx, who.userId);
  await advanceCredentials(tx, who.userId, who.sessionId);
  await revokeUserSessions(tx, who.userId, "mfa_change", who.sessionId);
  return { mfaEnabled };
}
