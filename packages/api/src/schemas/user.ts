import { z } from "zod";

import { PROVISIONING_STATES } from "@voiceassist/db";

import type { PublicUser } from "../services/public-user";
import type { getUserDetailForAdmin, getUserForAdmin, listUsers } from "../services/admin-user-views";
import type { adminRetryAllProvisioning } from "../services/admin-users";
import type { requestEmailChange } from "../services/email-change";
import { pageOf, timestamp, uuid } from "./common";
import { mfaStatusSchema } from "./mfa";
import { sameShape } from "./same-shape";

/** The contract's PublicUser: never the password hash. */
export const publicUserSchema = z
  .object({
    id: uuid(),
    email: z.string(),
    fullName: z.string().nullable(),
    isActive: z.boolean(),
    isAdmin: z.boolean(),
    createdAt: timestamp(),
    updatedAt: timestamp(),
    lastLogin: timestamp().nullable(),
    emailVerifiedAt: timestamp().nullable(),
    pendingEmail: z.string().nullable(),
    mfaEnabled: z.boolean(),
    invitedAt: timestamp().nullable(),
    deletedAt: timestamp().nullable(),
  })
  .meta({ id: "PublicUser" });
sameShape<z.output<typeof publicUserSchema>, PublicUser>(true);

/** Nextcloud provisioning state (docs/api.md); null when the user was never queued. */
export const provisioningSchema = z
  .object({
    state: z.enum(PROVISIONING_STATES),
    attempts: z.number().int(),
    lastError: z.string().nullable(),
    nextAttemptAt: timestamp(),
    provisionedAt: timestamp().nullable(),
    updatedAt: timestamp(),
  })
  .meta({ id: "Provisioning" });

/** What admins see (users.byId, users.list items): the public user plus its provisioning state. */
export const adminUserSchema = publicUserSchema
  .extend({
    erasedAt: timestamp().nullable().meta({ description: "When a deleted user's personal data was erased (users.erase)" }),
    provisioning: provisioningSchema.nullable(),
  })
  .meta({ id: "AdminUser" });
sameShape<z.output<typeof adminUserSchema>, Awaited<ReturnType<typeof getUserForAdmin>>>(true);

/** users.byId: an AdminUser plus the user's second factors (the same MfaStatus the user sees). */
export const adminUserDetailSchema = adminUserSchema
  .extend({ mfa: mfaStatusSchema.meta({ description: "The user's second factors, as mfa.status shows them to the user" }) })
  .meta({ id: "AdminUserDetail" });
sameShape<z.output<typeof adminUserDetailSchema>, Awaited<ReturnType<typeof getUserDetailForAdmin>>>(true);

/**
 * users.list: a page of users. `total` is exact up to USER_LIST_EXACT_TOTAL
 * matches; above that it is the planner's estimate (never below the cap) and
 * `totalIsEstimate` says so, because counting every match of a broad search
 * costs more than the page itself.
 */
export const userPageSchema = pageOf(adminUserSchema).extend({ totalIsEstimate: z.boolean() }).meta({ id: "UserPage" });
sameShape<z.output<typeof userPageSchema>, Awaited<ReturnType<typeof listUsers>>>(true);

/** users.retryProvisioning with `all: true`: how many failed rows went back to the queue. */
export const retryAllResultSchema = z.object({ queued: z.number().int() }).meta({ id: "RetryAllResult" });
sameShape<z.output<typeof retryAllResultSchema>, Awaited<ReturnType<typeof adminRetryAllProvisioning>>>(true);

/** users.requestEmailChange: the address waiting for its confirmation link. */
export const pendingEmailSchema = z.object({ pendingEmail: z.string() }).meta({ id: "PendingEmail" });
sameShape<z.output<typeof pendingEmailSchema>, Awaited<ReturnType<typeof requestEmailChange>>>(true);
