import { z } from "zod";

import { emailSchema, existingPasswordSchema, fullNameSchema, passwordSchema, uuidSchema } from "@voiceassist/shared";

import { rest } from "../rest-meta";
import {
  adminUserDetailSchema,
  adminUserSchema,
  pendingEmailSchema,
  publicUserSchema,
  retryAllResultSchema,
  revokedCountSchema,
  sessionSchema,
  successSchema,
  userPageSchema,
} from "../schemas";
import { adminDeleteUser, adminRetryAllProvisioning, adminRetryProvisioning, adminUpdateUser } from "../services/admin-users";
import { cancelEmailChange, requestEmailChange, resendEmailChange } from "../services/email-change";
import { inviteUser } from "../services/invitations";
import { adminSendPasswordReset } from "../services/password-reset";
import { changeOwnPassword, updateOwnProfile } from "../services/profile";
import { getUserDetailForAdmin, listUsers, USER_SORTS, USER_STATUSES } from "../services/admin-user-views";
import { adminRevokeSessions, listUserSessions } from "../services/session-views";
import { adminEraseUser, adminRestoreUser } from "../services/user-lifecycle";
import { resetUserMfa } from "../services/mfa/reset";
import { userSearchText } from "../services/user-match";
import { adminProcedure, protectedProcedure, rateLimited, router } from "../trpc";

export const usersRouter = router({
  me: protectedProcedure
    .meta(rest("GET", "/users/me", { summary: "Your profile", access: "user" }))
    .output(publicUserSchema)
    .query(({ ctx }) => ctx.user),

  updateMe: protectedProcedure
    .meta(
      rest("PATCH", "/users/me", {
        summary: "Change your name",
        description: "The email changes through requestEmailChange and a confirmation link.",
        access: "user",
        errors: [400],
      }),
    )
    .output(publicUserSchema)
    .input(z.strictObject({ fullName: fullNameSchema.optional() }).optional())
    .mutation(({ ctx, input }) => updateOwnProfile(ctx.deps, ctx.actor, input ?? {}, ctx.request)),

  requestEmailChange: protectedProcedure
    .meta(
      rest("POST", "/users/me/email", {
        summary: "Ask to change your email",
        description:
          "Mails a confirmation link (24 hours) to the new address and a notice to the current one; nothing changes until confirmed.",
        access: "user",
        limits: ["emailChangeUser"],
        errors: [400, 409],
      }),
    )
    .output(pendingEmailSchema)
    .use(rateLimited("emailChangeUser", "user"))
    .input(z.strictObject({ newEmail: emailSchema, currentPassword: existingPasswordSchema }))
    .mutation(({ ctx, input }) => requestEmailChange(ctx.deps, ctx.actor, input, ctx.request)),

  resendEmailChange: protectedProcedure
    .meta(
      rest("POST", "/users/me/email/resend", {
        summary: "Mail the confirmation link for your pending email again",
        access: "user",
        limits: ["emailChangeUser"],
        errors: [400],
      }),
    )
    .output(pendingEmailSchema)
    .use(rateLimited("emailChangeUser", "user"))
    .mutation(({ ctx }) => resendEmailChange(ctx.deps, ctx.actor, ctx.request)),

  cancelEmailChange: protectedProcedure
    .meta(rest("DELETE", "/users/me/email/pending", { summary: "Cancel your pending email change", access: "user" }))
    .output(publicUserSchema)
    .mutation(({ ctx }) => cancelEmailChange(ctx.deps, ctx.actor, ctx.request)),

  changePassword: protectedProcedure
    .meta(
      rest("POST", "/users/me/password", {
        summary: "Change your password",
        description: "Ends every other session of yours.",
        access: "user",
        limits: ["changePasswordIp", "changePasswordUser"],
        errors: [400],
      }),
    )
    .output(successSchema)
    .use(rateLimited("changePasswordIp"))
    .use(rateLimited("changePasswordUser", "user"))
    .input(z.strictObject({ currentPassword: existingPasswordSchema, newPassword: passwordSchema }))
    .mutation(async ({ ctx, input }) => {
      await changeOwnPassword(ctx.deps, ctx.actor, input, ctx.request);
      return { success: true as const };
    }),

  list: adminProcedure
    .meta(
      rest("GET", "/users", {
        summary: "List users (newest first unless sorted otherwise)",
        description:
          "`status` is one of active, inactive (deactivated), invited (invitation not accepted) and deleted; they do not overlap.",
        access: "admin",
        errors: [400],
      }),
    )
    .output(userPageSchema)
    .input(
      z
        .strictObject({
          search: userSearchText().trim().max(255).optional(),
          isActive: z.boolean().optional(),
          status: z.enum(USER_STATUSES).optional(),
          sort: z.enum(USER_SORTS).optional(),
          order: z.enum(["asc", "desc"]).optional(),
          limit: z.number().int().min(1).max(100).default(20),
          offset: z.number().int().min(0).default(0),
        })
        .optional(),
    )
    .query(({ ctx, input }) => listUsers(ctx.deps, { limit: 20, offset: 0, ...input })),

  byId: adminProcedure
    .meta(rest("GET", "/users/{id}", { summary: "One user, with their second factors", access: "admin", errors: [400, 404] }))
    .output(adminUserDetailSchema)
    .input(z.strictObject({ id: uuidSchema }))
    .query(({ ctx, input }) => getUserDetailForAdmin(ctx.deps, input)),

  update: adminProcedure
    .meta(
      rest("PATCH", "/users/{id}", {
        summary: "Change a user",
        description:
          "Fields equal to the stored ones are no change: a save that changes nothing writes nothing and no audit event. A new email applies at once, unverified; both addresses are told by mail.",
        access: "admin",
        errors: [400, 404, 409],
      }),
    )
    .output(publicUserSchema)
    .input(
      z.strictObject({
        id: uuidSchema,
        fullName: fullNameSchema.optional(),
        email: emailSchema.optional(),
        isActive: z.boolean().optional(),
        isAdmin: z.boolean().optional(),
      }),
    )
    .mutation(({ ctx, input }) => adminUpdateUser(ctx.deps, ctx.actor, input, ctx.request)),

  invite: adminProcedure
    .meta(
      rest("POST", "/users/invite", {
        summary: "Invite a user by email",
        description:
          "Creates the account without a password and mails an invitation (72 hours). Inviting an address that is still only invited sends a fresh invitation.",
        access: "admin",
        limits: ["inviteUser"],
        errors: [400, 409],
      }),
    )
    .output(publicUserSchema)
    .use(rateLimited("inviteUser", "user"))
    .input(z.strictObject({ email: emailSchema, fullName: fullNameSchema.optional(), isAdmin: z.boolean().optional() }))
    .mutation(({ ctx, input }) => inviteUser(ctx.deps, ctx.actor, input, ctx.request)),

  sendPasswordReset: adminProcedure
    .meta(
      rest("POST", "/users/{id}/password-reset", {
        summary: "Mail a user a password reset link",
        description: "A user still only invited gets a fresh invitation instead.",
        access: "admin",
        limits: ["adminPasswordResetUser"],
        errors: [400, 404],
      }),
    )
    .output(successSchema)
    .use(rateLimited("adminPasswordResetUser", "user"))
    .input(z.strictObject({ id: uuidSchema }))
    .mutation(async ({ ctx, input }) => {
      await adminSendPasswordReset(ctx.deps, ctx.actor, input, ctx.request);
      return { success: true as const };
    }),

  /** Puts one user's Nextcloud provisioning back in the queue now, or with `all: true` every failed one. */
  retryProvisioning: adminProcedure
    .meta(
      // The body carries the id: a path parameter could not also be left out for `all: true`.
      rest("POST", "/users/provisioning/retry", {
        summary: "Queue Nextcloud provisioning again",
        description: "`{ id }` queues one user (answered with it); `{ all: true }` every failed row (answered with how many).",
        access: "admin",
        errors: [400, 404],
      }),
    )
    .output(z.union([adminUserSchema, retryAllResultSchema]))
    .input(
      z
        .strictObject({ id: uuidSchema.optional(), all: z.literal(true).optional() })
        .refine((input) => (input.id === undefined) !== (input.all === undefined), { message: "Give either id or all: true" }),
    )
    .mutation(({ ctx, input }) =>
      input.id === undefined
        ? adminRetryAllProvisioning(ctx.deps, ctx.actor, ctx.request)
        : adminRetryProvisioning(ctx.deps, ctx.actor, { id: input.id }, ctx.request),
    ),

  resetMfa: adminProcedure
    .meta(
      rest("POST", "/users/{id}/reset-mfa", {
        summary: "Remove a user's second factors",
        description: "For a user locked out of their factors: all are removed and every session ends. Not for yourself (use the CLI).",
        access: "admin",
        errors: [400, 404],
      }),
    )
    .output(publicUserSchema)
    .input(z.strictObject({ id: uuidSchema }))
    .mutation(({ ctx, input }) => resetUserMfa(ctx.deps.db, ctx.actor, input, ctx.request, ctx.deps.mail)),

  delete: adminProcedure
    .meta(
      rest("DELETE", "/users/{id}", {
        summary: "Delete a user (soft delete)",
        description: "Sets deletedAt and deactivates; the row stays until restored or erased.",
        access: "admin",
        errors: [400, 404],
      }),
    )
    .output(publicUserSchema)
    .input(z.strictObject({ id: uuidSchema }))
    .mutation(({ ctx, input }) => adminDeleteUser(ctx.deps, ctx.actor, input, ctx.request)),

  restore: adminProcedure
    .meta(rest("POST", "/users/{id}/restore", { summary: "Bring a deleted user back, active", access: "admin", errors: [400, 404] }))
    .output(publicUserSchema)
    .input(z.strictObject({ id: uuidSchema }))
    .mutation(({ ctx, input }) => adminRestoreUser(ctx.deps, ctx.actor, input, ctx.request)),

  erase: adminProcedure
    .meta(
      rest("POST", "/users/{id}/erase", {
        summary: "Erase a deleted user's personal data",
        description:
          "Only for deleted users; `confirmEmail` must repeat the user's email. Email and name become placeholders, the password hash, second factors and sessions go, and audit events keep only the user id. It cannot be undone.",
        access: "admin",
        errors: [400, 404],
      }),
    )
    .output(successSchema)
    .input(z.strictObject({ id: uuidSchema, confirmEmail: emailSchema }))
    .mutation(async ({ ctx, input }) => {
      await adminEraseUser(ctx.deps, ctx.actor, input, ctx.request);
      return { success: true as const };
    }),

  sessions: adminProcedure
    .meta(rest("GET", "/users/{id}/sessions", { summary: "A user's live sessions, newest first", access: "admin", errors: [400, 404] }))
    .output(z.array(sessionSchema))
    .input(z.strictObject({ id: uuidSchema }))
    .query(({ ctx, input }) => listUserSessions(ctx.deps, ctx.actor, input)),

  revokeSessions: adminProcedure
    .meta(rest("POST", "/users/{id}/sessions/revoke", { summary: "Sign a user out everywhere", access: "admin", errors: [400, 404] }))
    .output(revokedCountSchema)
    .input(z.strictObject({ id: uuidSchema }))
    .mutation(({ ctx, input }) => adminRevokeSessions(ctx.deps, ctx.actor, input, ctx.request)),
});
