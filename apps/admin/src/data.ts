import { useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";

import { useTRPC } from "@voiceassist/ui";

/**
 * After an admin changes a user: every users query (the lists and that user's
 * page) is out of date, and so is the audit log, which gained an event.
 */
export function useInvalidateAfterUserChange() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return useCallback(
    () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: trpc.users.pathKey() }),
        queryClient.invalidateQueries({ queryKey: trpc.audit.pathKey() }),
      ]),
    [trpc, queryClient],
  );
}

/** After an admin changes a connected app: the clients list and the audit log are out of date. */
export function useInvalidateAfterClientChange() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return useCallback(
    () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: trpc.oidc.clients.pathKey() }),
        queryClient.invalidateQueries({ queryKey: trpc.audit.pathKey() }),
      ]),
    [trpc, queryClient],
  );
}
