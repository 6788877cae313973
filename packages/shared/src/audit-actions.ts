/**
 * Every audit action the API writes, in one list: the server types its events
 * from it and the admin panel offers it as filter suggestions.
 */
export const AUDIT_ACTIONS = [
  "auth.register",
  "auth.login",
  "auth.refresh.reuse_detected",
  "auth.logout",
  "user.update",
  "user.change_password",
  "admin.user.update",
  "admin.user.delete",
  "admin.user.retry_provisioning",
  "ratelimit.exceeded",
  "auth.mfa.success",
  "auth.mfa.failure",
  "mfa.totp.enabled",
  "mfa.totp.disabled",
  "mfa.passkey.added",
  "mfa.passkey.removed",
  "mfa.backup_codes.regenerated",
  "admin.user.reset_mfa",
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];
