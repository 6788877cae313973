import { initTRPC, TRPCError } from "@trpc/server";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";

import { transformer } from "@voiceassist/shared";

import type { AdminUser } from "./render-app";

type Update = Partial<AdminUser> & { id: string };

/**
 * A real tRPC server, answered in-process, for the two procedures the user
 * page calls, with the API's error shape (zodError per field). It records
 * each update it gets; `refuseEmail` makes it answer like the API does for a
 * malformed address.
 */
export function fakeUserApi(initial: AdminUser) {
  let user = initial;
  const updates: Update[] = [];
  const t = initTRPC.create({
    transformer,
    errorFormatter: ({ shape, error }) => ({
      ...shape,
      data: { ...shape.data, zodError: error.cause instanceof FieldError ? { formErrors: [], fieldErrors: error.cause.fields } : null },
    }),
  });
  const router = t.router({
    users: t.router({
      byId: t.procedure.input((raw) => raw as { id: string }).query(() => user),
      update: t.procedure
        .input((raw) => raw as Update)
        .mutation(({ input }) => {
          updates.push(input);
          if (input.email !== undefined && !input.email.includes("@")) {
            throw new TRPCError({ code: "BAD_REQUEST", cause: new FieldError({ email: ["Invalid email address"] }) });
          }
          user = { ...user, ...input, updatedAt: new Date(user.updatedAt.getTime() + 1000) };
          return user;
        }),
    }),
  });
  const fetch = (url: RequestInfo | URL, init?: RequestInit) =>
    fetchRequestHandler({ endpoint: "/trpc", req: new Request(url, init), router, createContext: () => ({}) });
  return { fetch: fetch as typeof globalThis.fetch, updates };
}

class FieldError extends Error {
  constructor(readonly fields: Record<string, string[]>) {
    super("invalid input");
  }
}
