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
  // Version 2 (the account lifecycle).
  "auth.password_reset.requested",
  "auth.password_reset",
  "auth.email.verified",
  "user.email_change.requested",
  "user.email_change",
  "auth.invite.accepted",
  "auth.session.revoke",
  "auth.mfa.success",
  "auth.mfa.failure",
  "mfa.totp.enabled",
  "mfa.totp.disabled",
  "mfa.passkey.added",
  "mfa.passkey.removed",
  "mfa.backup_codes.regenerated",
  "admin.user.invite",
  "admin.user.restore",
  "admin.user.erase",
  "admin.user.reset_mfa",
  "admin.user.sessions.revoke",
  "admin.user.send_password_reset",
  "admin.oidc_client.create",
  "admin.oidc_client.update",
  "admin.oidc_client.rotate_secret",
  "admin.oidc_client.delete",
  "oidc.login",
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];
