/** One line of an event's detail, as the audit log shows it. */
export interface DetailField {
  label: string;
  value: string;
}

const LABELS: Record<string, string> = {
  reason: "Reason",
  email: "Email typed",
  sessionId: "Session",
  allSessions: "All sessions",
  current: "This device",
  fields: "Fields changed",
  limit: "Limit",
  procedure: "Call",
  retryAfterSeconds: "Retry after (s)",
  via: "Through",
  isAdmin: "Administrator",
  isActive: "Active",
  fullName: "Name",
  all: "All failed users",
  queued: "Queued",
  revoked: "Sessions ended",
  serverRequestId: "Server request ID",
  clientId: "App (client ID)",
  amr: "Signed in with",
};

const REASONS: Record<string, string> = {
  unknown_email: "No account with this email",
  wrong_password: "Wrong password",
  inactive: "Account deactivated or deleted",
  account_locked: "Account locked after too many failures",
  raced: "The account changed during sign-in",
  email_taken: "Email already registered",
  wrong_current_password: "Wrong current password",
  same_password: "New password same as the old one",
  session_gone: "Session had ended",
  password_changed: "Password changed meanwhile",
  // Refusals of a sign-in to a connected app (oidc.login).
  not_found: "No such account",
  deactivated: "Account deactivated",
  deleted: "Account deleted",
  invited: "Invitation not accepted yet",
  locked: "Account locked after too many failures",
  fresh_sign_in_required: "The app asked for a fresh sign-in",
};

const FIELD_NAMES: Record<string, string> = {
  fullName: "name",
  email: "email",
  isActive: "active",
  isAdmin: "administrator",
  name: "name",
  redirectUris: "redirect URIs",
  postLogoutRedirectUris: "post-logout redirect URIs",
  backchannelLogoutUri: "back-channel logout URI",
};

/** Authentication methods (RFC 8176) as the audit log says them. */
const METHODS: Record<string, string> = { pwd: "password", otp: "one-time code", hwk: "passkey", mfa: "second factor" };

const label = (key: string) => LABELS[key] ?? key.replace(/([a-z])([A-Z])/g, "$1 $2").replace(/^./, (c) => c.toUpperCase());

function valueText(key: string, value: unknown): string {
  if (value === null || value === undefined) return "—";
  if (typeof value === "boolean") return value ? "Yes" : "No";
  if (key === "reason" && typeof value === "string") return REASONS[value] ?? value;
  if (key === "via" && value === "cli") return "admin:create command";
  if (key === "amr" && Array.isArray(value)) return value.map((method) => METHODS[String(method)] ?? String(method)).join(" + ");
  if (Array.isArray(value)) return value.map((item) => (typeof item === "string" ? (FIELD_NAMES[item] ?? item) : String(item))).join(", ");
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/**
 * An event's detail as labelled fields instead of raw JSON: `changes` opens
 * into one line per changed field ("Changed: Name"), everything else is one
 * line with a readable label and value.
 */
export function detailFields(detail: Record<string, unknown> | null): DetailField[] {
  if (!detail) return [];
  return Object.entries(detail).flatMap(([key, value]): DetailField[] => {
    if (key === "changes" && value && typeof value === "object" && !Array.isArray(value)) {
      return Object.entries(value).map(([field, to]) => ({ label: `Changed: ${label(field)}`, value: valueText(field, to) }));
    }
    return [{ label: label(key), value: valueText(key, value) }];
  });
}
