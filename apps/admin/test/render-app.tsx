import { createMemoryHistory } from "@tanstack/react-router";
import { render } from "@testing-library/react";
import { createTRPCOptionsProxy } from "@trpc/tanstack-react-query";

import { createMemoryTokenStore, createSessionClient, type RouterOutputs } from "@voiceassist/client";
import { AppRoot, createQueryClient } from "@voiceassist/ui";

import { createAppRouter } from "../src/router";

/** Nothing listens on port 1: a call that is not answered from the cache fails, as when the API is down. */
const UNREACHABLE = "http://127.0.0.1:1/trpc";

export type AdminUser = RouterOutputs["users"]["byId"];

export const adminUser = (overrides: Partial<AdminUser> = {}): AdminUser => ({
  id: "5d1f2c3b-4a59-4e6f-8a7b-9c0d1e2f3a4b",
  email: "ada@example.com",
  fullName: "Ada Lovelace",
  isActive: true,
  isAdmin: false,
  createdAt: new Date("2025-01-02T03:04:05Z"),
  updatedAt: new Date("2025-01-02T03:04:05Z"),
  lastLogin: null,
  emailVerifiedAt: null,
  pendingEmail: null,
  mfaEnabled: false,
  invitedAt: null,
  deletedAt: null,
  erasedAt: null,
  provisioning: null,
  mfa: { totp: false, passkeys: [], backupCodesRemaining: 0 },
  ...overrides,
});

const OPERATOR = adminUser({ id: "9e8d7c6b-5a49-4382-9170-f1e2d3c4b5a6", email: "root@example.com", fullName: "Root", isAdmin: true });

/** A real API to talk to (see test/live-api.ts): its address, the caller's headers and a signed-in pair. */
export interface ApiConnection {
  url: string;
  headers: Record<string, string>;
  /** null: signed out (the sign-in page against the live API). */
  tokens: { accessToken: string; refreshToken: string } | null;
}

/**
 * The real panel at `path`, signed in, on a real session client and cache.
 * Without `api`, server state is seeded with setQueryData and anything not
 * in the cache fails as unreachable; with `api`, it comes from that server.
 */
export function renderAdmin(path: string, options: { api?: ApiConnection; me?: AdminUser } = {}) {
  const { api } = options;
  const store = createMemoryTokenStore(api ? api.tokens : { accessToken: "access", refreshToken: "refresh" });
  const session = createSessionClient({ url: api?.url ?? UNREACHABLE, store, ...(api ? { headers: () => api.headers } : {}) });
  const queryClient = createQueryClient();
  const trpc = createTRPCOptionsProxy({ client: session.client, queryClient });
  // A live server answers auth.me itself.
  if (!api) queryClient.setQueryData(trpc.auth.me.queryKey(), options.me ?? OPERATOR);
  const router = createAppRouter(createMemoryHistory({ initialEntries: [path] }));
  return {
    store,
    queryClient,
    trpc,
    router,
    render: () => render(<AppRoot session={session} queryClient={queryClient} router={router} />),
  };
}
