import { z } from "zod";

import { emailSchema, existingPasswordSchema, fullNameSchema, passwordSchema, text, uuidSchema } from "@voiceassist/shared";

import { adminDeleteUser, adminRetryProvisioning, adminUpdateUser } from "../services/admin-users";
import { changeOwnPassword, updateOwnProfile } from "../services/profile";
import { getUserForAdmin, listUsers } from "../services/users";
import { adminProcedure, protectedProcedure, rateLimited, router } from "../trpc";

const profileFields = { fullName: fullNameSchema.optional(), email: emailSchema.optional() };

export const usersRouter = router({
  me: protectedProcedure.query(({ ctx }) => ctx.user),

  updateMe: protectedProcedure
    .input(z.strictObject(profileFields).optional())
    .mutation(({ ctx, input }) => updateOwnProfile(ctx.db, ctx.user.id, input ?? {}, ctx.request)),

  changePassword: protectedProcedure
    .use(rateLimited("changePasswordIp"))
    .use(rateLimited("changePasswordUser", "user"))
    .input(z.strictObject({ currentPassword: existingPasswordSchema, newPassword: passwordSchema }))
    .mutation(async ({ ctx, input }) => {
      await changeOwnPassword(ctx, { userId: ctx.user.id, sessionId: ctx.sessionId }, input, ctx.request);
      return { success: true as const };
    }),

  list: adminProcedure
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
    .query(({ ctx, input }) => listUsers(ctx.db, { limit: 20, offset: 0, ...input })),

  byId: adminProcedure
    .input(z.strictObject({ id: uuidSchema }))
    .query(({ ctx, input }) => getUserForAdmin(ctx.db, input.id)),

  update: adminProcedure
    .input(
      z.strictObject({
        id: uuidSchema,
        ...profileFields,
        isActive: z.boolean().optional(),
        isAdmin: z.boolean().optional(),
      }),
    )
    .mutation(({ ctx, input: { id, ...changes } }) => adminUpdateUser(ctx, ctx.user.id, id, changes, ctx.request)),

  /** Puts the user's Nextcloud provisioning back in the queue now (e.g. after it failed). */
  retryProvisioning: adminProcedure
    .input(z.strictObject({ id: uuidSchema }))
    .mutation(({ ctx, input }) => adminRetryProvisioning(ctx, ctx.user.id, input.id, ctx.request)),

  delete: adminProcedure
    .input(z.strictObject({ id: uuidSchema }))
    .mutation(({ ctx, input }) => adminDeleteUser(ctx, ctx.user.id, input.id, ctx.request)),
});
