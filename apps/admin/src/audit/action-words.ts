import type { AuditAction } from "@voiceassist/shared";

/**
 * Every audit action in words, as the audit log shows it. Typed by the one
 * list of actions, so a new action does not compile until it has its words.
 */
export const ACTION_WORDS: Record<AuditAction, string> = {
  "auth.register": "Registered",
  "auth.login": "Signed in",
  "auth.refresh.reuse_detected": "Stolen sign-in token detected (session ended)",
  "auth.logout": "Signed out",
  "user.update": "Changed own profile",
  "user.change_password": "Changed password",
  "admin.user.update": "Changed a user",
  "admin.user.delete": "Deleted a user",
  "admin.user.retry_provisioning": "Retried Nextcloud provisioning",
  "ratelimit.exceeded": "Rate limit hit",
  "auth.password_reset.requested": "Asked for a password reset",
  "auth.password_reset": "Reset password",
  "auth.email.verified": "Verified email",
  "user.email_change.requested": "Asked to change email",
  "user.email_change": "Changed email",
  "auth.invite.accepted": "Accepted invitation",
  "auth.session.revoke": "Ended a session",
  "auth.mfa.success": "Passed second factor",
  "auth.mfa.failure": "Failed second factor",
  "mfa.totp.enabled": "Turned on authenticator app",
  "mfa.totp.disabled": "Turned off authenticator app",
  "mfa.passkey.added": "Added a passkey",
  "mfa.passkey.removed": "Removed a passkey",
  "mfa.backup_codes.regenerated": "Made new backup codes",
  "admin.user.invite": "Invited a user",
  "admin.user.restore": "Restored a user",
  "admin.user.erase": "Erased a user's personal data",
  "admin.user.reset_mfa": "Reset a user's second factors",
  "admin.user.sessions.revoke": "Signed a user out everywhere",
  "admin.user.send_password_reset": "Sent a password reset",
  "admin.oidc_client.create": "Connected an app (single sign-on)",
  "admin.oidc_client.update": "Changed a connected app",
  "admin.oidc_client.rotate_secret": "Gave a connected app a new secret",
  "admin.oidc_client.delete": "Removed a connected app",
  "oidc.login": "Signed in to a connected app",
};

/** A failed sign-in reads differently from a successful one. */
const FAILURE_WORDS: Partial<Record<AuditAction, string>> = {
  "auth.login": "Sign-in refused",
  "auth.register": "Registration refused",
  "user.change_password": "Password change refused",
  "oidc.login": "Sign-in to a connected app refused",
};

/** The action in words; an action this panel does not know yet is shown by its name. */
export function actionInWords(action: string, outcome: "success" | "failure" = "success"): string {
  const known = action as AuditAction;
  if (outcome === "failure" && FAILURE_WORDS[known]) return FAILURE_WORDS[known];
  return ACTION_WORDS[known] ?? action;
}
