import { useQueryClient } from "@tanstack/react-query";

import { useTRPC } from "@voiceassist/ui";

/**
 * After a factor changes: the factors themselves, the sessions (the server
 * ends every other one) and the profile (its mfaEnabled flag) are stale.
 */
export function useRefreshSecurity() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.mfa.status.queryKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.auth.sessions.queryKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.users.me.queryKey() }),
    ]);
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

export const formatWhen = (value: Date | null) => (value ? dateTime.format(value) : "Never");
