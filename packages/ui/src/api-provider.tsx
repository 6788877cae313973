import { QueryClientProvider, type QueryClient } from "@tanstack/react-query";
import { createContext, useContext, useEffect, type ReactNode } from "react";

import type { SessionClient } from "@voiceassist/client";

import { TRPCProvider } from "./trpc";

const SessionContext = createContext<SessionClient | null>(null);

/**
 * Server state for the tree below: react-query's cache over the session
 * client, so every call carries the bearer token and shares its single-flight
 * refresh. The cache is emptied when the session ends, so the next account
 * never sees the last one's data.
 */
export function ApiProvider({ session, queryClient, children }: { session: SessionClient; queryClient: QueryClient; children: ReactNode }) {
  useEffect(
    () =>
      session.store.subscribe(() => {
        if (!session.store.get()) queryClient.clear();
      }),
    [session, queryClient],
  );
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={session.client} queryClient={queryClient}>
        <SessionContext value={session}>{children}</SessionContext>
      </TRPCProvider>
    </QueryClientProvider>
  );
}

/** The session client given to ApiProvider (sign in, sign out, token store). */
export function useSession(): SessionClient {
  const session = useContext(SessionContext);
  if (!session) throw new Error("useSession needs an <ApiProvider> above it");
  return session;
}
