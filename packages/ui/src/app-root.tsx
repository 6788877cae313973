import type { QueryClient } from "@tanstack/react-query";
import { type AnyRouter, RouterProvider } from "@tanstack/react-router";

import type { SessionClient } from "@voiceassist/client";

import { ApiProvider } from "./api-provider";

/** A whole app for one session: its data cache and its router. main.tsx and the tests build those. */
export function AppRoot({ session, queryClient, router }: { session: SessionClient; queryClient: QueryClient; router: AnyRouter }) {
  return (
    <ApiProvider session={session} queryClient={queryClient}>
      <RouterProvider router={router} />
    </ApiProvider>
  );
}
