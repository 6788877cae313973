import { z } from "zod";

import { uuidSchema } from "@voiceassist/shared";

/**
 * Search params are typed by these schemas. A hand-edited or stale address
 * never breaks a page: a value that does not fit is dropped (`.catch`), and
 * the page shows its default instead.
 */

/** Free text; the router reads `?search=42` as a number, so numbers are taken back as text. Blank → absent. */
const textParam = (max: number) =>
  z
    .union([z.string(), z.number()])
    .transform((value) => String(value).trim().slice(0, max) || undefined)
    .optional()
    .catch(undefined);

/** A page offset: a non-negative integer, 0 left out of the address. */
const offsetParam = z
  .number()
  .int()
  .min(0)
  .transform((value) => value || undefined)
  .optional()
  .catch(undefined);

export const USER_STATUSES = ["active", "inactive", "invited", "deleted"] as const;
export const USER_SORTS = ["createdAt", "email", "lastLogin"] as const;
export type UserSort = (typeof USER_SORTS)[number];

export const usersSearch = z.object({
  search: textParam(255),
  status: z.enum(USER_STATUSES).optional().catch(undefined),
  sort: z.enum(USER_SORTS).optional().catch(undefined),
  order: z.enum(["asc", "desc"]).optional().catch(undefined),
  offset: offsetParam,
});
export type UsersSearch = z.output<typeof usersSearch>;

// userId stays free text: the server's answer to a malformed id is shown next to the field.
/** A calendar day, as <input type="date"> gives it. */
const dayParam = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .optional()
  .catch(undefined);

export const auditSearch = z.object({
  userId: textParam(100),
  /** Email or name of the actor or target. */
  user: textParam(255),
  action: textParam(64),
  outcome: z.enum(["success", "failure"]).optional().catch(undefined),
  from: dayParam,
  to: dayParam,
  offset: offsetParam,
});
export type AuditSearch = z.output<typeof auditSearch>;

/**
 * Where to go after signing in: a path inside this panel only ("/users/…"),
 * never "//host" or a full URL, so a crafted link cannot send an operator away.
 */
export const signInSearch = z.object({
  redirect: z
    .string()
    .regex(/^\/(?![/\\])/)
    .optional()
    .catch(undefined),
});

/** The user page's `$id`: anything but a uuid is "not found", without asking the server. */
export const userParams = z.object({ id: uuidSchema });
