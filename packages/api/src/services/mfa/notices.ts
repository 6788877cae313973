import type { Database } from "@voiceassist/db";

/**
 * Every change to a user's second factors that the user must be told about
 * by mail. The mail outbox is built separately; when it lands, this is the
 * one place to enqueue the notice, in the transaction `db` belongs to (so a
 * notice is written if and only if the change commits).
 */
export type MfaNotice =
  | { kind: "totp_enabled" }
  | { kind: "totp_disabled" }
  | { kind: "passkey_added"; name: string }
  | { kind: "passkey_removed"; name: string }
  | { kind: "backup_codes_regenerated" }
  | { kind: "mfa_reset_by_admin" }
  | { kind: "mfa_reset_by_cli" };

/** The seam for the outbox: called at every point the user must be told. Writes nothing yet. */
export async function tellUserAboutMfa(_db: Database, _userId: string, _notice: MfaNotice): Promise<void> {}
