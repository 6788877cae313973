import type { QueryClient } from "@tanstack/react-query";
import { RouterProvider } from "@tanstack/react-router";

import type { SessionClient } from "@voiceassist/client";
import { ApiProvider } from "@voiceassist/ui";

import type { createAppRouter } from "./router";

/** The whole panel for one session, cache and router; main.tsx and the tests build those. */
export function App({
  session,
  queryClient,
  router,
}: {
  session: SessionClient;
  queryClient: QueryClient;
  router: ReturnType<typeof createAppRouter>;
}) {
  return (
    <ApiProvider session={session} queryClient={queryClient}>
      <RouterProvider router={router} />
    </ApiProvider>
  );
}
