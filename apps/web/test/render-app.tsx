import { createMemoryHistory } from "@tanstack/react-router";
import { render } from "@testing-library/react";
import { createTRPCOptionsProxy } from "@trpc/tanstack-react-query";

import { createMemoryTokenStore, createSessionClient, type RouterOutputs, type StoredTokens } from "@voiceassist/client";
import { createQueryClient } from "@voiceassist/ui";

import { AppRoot } from "@voiceassist/ui";
import { createAppRouter } from "../src/router";

/** Nothing listens on port 1: every call fails as when the API is down. */
export const UNREACHABLE = "http://127.0.0.1:1/trpc";

/** A real API to talk to (see test/live-api.ts): its address, the caller's headers, and a pair when signed in. */
export interface ApiConnection {
  url: string;
  headers: Record<string, string>;
  tokens: StoredTokens | null;
}

/**
 * The real app at `path`, on a real session client and cache. Without `api`, seed server state
 * through `trpc` + `queryClient` (anything else fails as unreachable); with it, that server answers.
 */
export function renderApp(path: string, options: { tokens?: StoredTokens; api?: ApiConnection } = {}) {
  const { api } = options;
  const store = createMemoryTokenStore(api ? api.tokens : (options.tokens ?? null));
  const session = createSessionClient({ url: api?.url ?? UNREACHABLE, store, ...(api ? { headers: () => api.headers } : {}) });
  const queryClient = createQueryClient();
  const trpc = createTRPCOptionsProxy({ client: session.client, queryClient });
  const router = createAppRouter(createMemoryHistory({ initialEntries: [path] }));
  const seed = {
    me: (user: Partial<RouterOutputs["users"]["me"]> = {}) =>
      queryClient.setQueryData(trpc.users.me.queryKey(), { ...sampleUser, ...user }),
  };
  return {
    store,
    session,
    queryClient,
    trpc,
    router,
    seed,
    render: () => render(<AppRoot session={session} queryClient={queryClient} router={router} />),
  };
}

export const sampleUser: RouterOutputs["users"]["me"] = {
  id: "0b7a4f1e-8d3c-4c2a-9a51-1f6d2e3c4b5a",
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
};
