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
  // Version 2: the account lifecycle by mail.
  "auth.password_reset.requested",
  "auth.password_reset",
  "auth.email.verified",
  "user.email_change.requested",
  "user.email_change",
  "auth.invite.accepted",
  "admin.user.invite",
  "admin.user.send_password_reset",
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];
