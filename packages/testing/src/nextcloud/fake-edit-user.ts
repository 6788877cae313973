import type { OcsContext } from "./fake-routes";
import { checkDisplayName, checkPasswordPolicy, findUser, hashPassword, isEmail } from "./fake-users";
import type { FakeUser } from "./fake-users";
import { appOcs } from "./ocs-responses";
import type { FakeResponse } from "./ocs-responses";

export interface EditLimit {
  limit: number;
  periodMs: number;
  /** Accepted calls per logged-in user (rejected ones are not registered, as in the real limiter). */
  calls: Map<string, number[]>;
}

/** RateLimitingMiddleware: refuse once `limit` calls were accepted within the period. */
export function takeEditSlot(limit: EditLimit, userId: string, now = Date.now()): boolean {
  const recent = (limit.calls.get(userId) ?? []).filter((at) => now - at < limit.periodMs);
  if (recent.length >= limit.limit) {
    limit.calls.set(userId, recent);
    return false;
  }
  recent.push(now);
  limit.calls.set(userId, recent);
  return true;
}

// Keys an admin may edit on another account that the fake accepts without keeping them.
const IGNORED_KEYS = new Set([
  "additional_mail",
  "language",
  "locale",
  "phone",
  "address",
  "website",
  "twitter",
  "fediverse",
  "organisation",
  "role",
  "headline",
  "biography",
  "profile_enabled",
  "quota",
  "notify_email",
  "manager",
]);

/** UsersController::editUser (PUT cloud/users/{userId}, `key` and `value` from the body). */
export function editUser(ctx: OcsContext, login: FakeUser, id: string): FakeResponse {
  const target = findUser(ctx.state.users, id);
  // Missing user and "no rights" both throw OCSException('', RESPOND_NOT_FOUND).
  if (!target || (target !== login && !login.isAdmin)) return appOcs(ctx.info, { code: 998 });
  const key = ctx.form.key ?? "";
  const value = ctx.form.value ?? "";
  switch (key) {
    case "display":
    case "displayname": {
      const checked = checkDisplayName(value);
      if (checked && "code" in checked) return appOcs(ctx.info, checked);
      if (checked) target.displayName = checked.value;
      break;
    }
    case "email":
      if (value !== "" && !isEmail(value)) return appOcs(ctx.info, { code: 101 });
      target.email = value === "" ? null : value;
      break;
    case "password": {
      if (Buffer.byteLength(value) > 469) return appOcs(ctx.info, { code: 102, message: "Invalid password value" });
      const rejected = checkPasswordPolicy(value);
      if (rejected) return appOcs(ctx.info, rejected);
      target.passwordHash = hashPassword(value);
      break;
    }
    default:
      // Not in $permittedFields: a bare 113.
      if (!IGNORED_KEYS.has(key)) return appOcs(ctx.info, { code: 113 });
  }
  return appOcs(ctx.info, {});
}
