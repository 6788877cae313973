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
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];
