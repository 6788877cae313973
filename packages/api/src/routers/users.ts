import { z } from "zod";

import { emailSchema, existingPasswordSchema, fullNameSchema, passwordSchema, text, uuidSchema } from "@voiceassist/shared";

import { rest } from "../rest-meta";
import { adminUserSchema, pageOf, publicUserSchema, retryAllResultSchema, successSchema } from "../schemas";
import { adminDeleteUser, adminRetryAllProvisioning, adminRetryProvisioning, adminUpdateUser } from "../services/admin-users";
import { changeOwnPassword, updateOwnProfile } from "../services/profile";
import { getUserForAdmin, listUsers } from "../services/admin-user-views";
import { resetUserMfa } from "../services/mfa/reset";
import { adminProcedure, protectedProcedure, rateLimited, router } from "../trpc";

const profileFields = { fullName: fullNameSchema.optional(), email: emailSchema.optional() };

export const usersRouter = router({
  me: protectedProcedure
    .meta(rest("GET", "/users/me", { summary: "Your profile", access: "user" }))
    .output(publicUserSchema)
    .query(({ ctx }) => ctx.user),

  updateMe: protectedProcedure
    .meta(rest("PATCH", "/users/me", { summary: "Change your name or email", access: "user", errors: [400, 409] }))
    .output(publicUserSchema)
    .input(z.strictObject(profileFields).optional())
    .mutation(({ ctx, input }) => updateOwnProfile(ctx.deps, ctx.actor, input ?? {}, ctx.request)),

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
    .meta(rest("GET", "/users", { summary: "List users, newest first", access: "admin", errors: [400] }))
    .output(pageOf(adminUserSchema))
    .input(
      z
        .strictObject({
          search: text().trim().max(255).optional(),
          isActive: z.boolean().optional(),
          limit: z.number().int().min(1).max(100).default(20),
          offset: z.number().int().min(0).default(0),
        })
        .optional(),
    )
    .query(({ ctx, input }) => listUsers(ctx.deps, { limit: 20, offset: 0, ...input })),

  byId: adminProcedure
    .meta(rest("GET", "/users/{id}", { summary: "One user", access: "admin", errors: [400, 404] }))
    .output(adminUserSchema)
    .input(z.strictObject({ id: uuidSchema }))
    .query(({ ctx, input }) => getUserForAdmin(ctx.deps, input)),

  update: adminProcedure
    .meta(rest("PATCH", "/users/{id}", { summary: "Change a user", access: "admin", errors: [400, 404, 409] }))
    .output(publicUserSchema)
    .input(
      z.strictObject({
        id: uuidSchema,
        ...profileFields,
        isActive: z.boolean().optional(),
        isAdmin: z.boolean().optional(),
      }),
    )
    .mutation(({ ctx, input }) => adminUpdateUser(ctx.deps, ctx.actor, input, ctx.request)),

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
    .mutation(({ ctx, input }) => resetUserMfa(ctx.db, ctx.actor, input, ctx.request)),

  delete: adminProcedure
    .meta(rest("DELETE", "/users/{id}", { summary: "Deactivate a user (soft delete)", access: "admin", errors: [400, 404] }))
    .output(publicUserSchema)
    .input(z.strictObject({ id: uuidSchema }))
    .mutation(({ ctx, input }) => adminDeleteUser(ctx.deps, ctx.actor, input, ctx.request)),
});
