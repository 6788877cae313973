import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { FormAlert, formErrors, useTRPC } from "@voiceassist/ui";

import { describeDevice } from "../ui/device";
import { formatDate } from "../ui/format";
import { TableScroll } from "../ui/table-scroll";
import type { AdminUser, Notify } from "./user-detail";

/**
 * Where the user is signed in, and "Sign out everywhere" (every session
 * ends; the user signs in again with their password and second factor).
 */
export function UserSessions({ user, notify }: { user: AdminUser; notify: Notify }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const sessions = useQuery(trpc.users.sessions.queryOptions({ id: user.id }));
  const revoke = useMutation(
    trpc.users.revokeSessions.mutationOptions({
      onSuccess: async ({ revoked }) => {
        notify(
          revoked === 0
            ? "There were no sessions to end."
            : `Signed out everywhere: ${revoked} ${revoked === 1 ? "session" : "sessions"} ended.`,
        );
        await Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.users.sessions.queryKey({ id: user.id }) }),
          queryClient.invalidateQueries({ queryKey: trpc.audit.pathKey() }),
        ]);
      },
    }),
  );
  const list = sessions.data;

  return (
    <section className="card" aria-labelledby="sessions-title">
      <h2 id="sessions-title">Sessions</h2>
      <FormAlert message={formErrors(sessions.error ?? revoke.error).message} />
      {sessions.isPending ? <p role="status">Loading sessions…</p> : null}
      {list && list.length === 0 ? <p>Not signed in anywhere.</p> : null}
      {list && list.length > 0 ? (
        <TableScroll label="Sessions table">
          <table className="stack">
            <caption className="visually-hidden">Live sessions, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Device</th>
                <th scope="col">IP address</th>
                <th scope="col">Signed in</th>
                <th scope="col">Last used</th>
                <th scope="col">Second factor</th>
              </tr>
            </thead>
            <tbody>
              {list.map((session) => (
                <tr key={session.id}>
                  <td data-label="Device" title={session.userAgent ?? undefined}>
                    {describeDevice(session.userAgent)}
                    {session.current ? " (you, here)" : ""}
                  </td>
                  <td data-label="IP address">{session.ip ?? "—"}</td>
                  <td data-label="Signed in">{formatDate(session.createdAt)}</td>
                  <td data-label="Last used">{formatDate(session.lastUsedAt)}</td>
                  <td data-label="Second factor">{session.mfa ? "Yes" : "No"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      ) : null}
      <div className="actions account-actions">
        <button
          type="button"
          className="secondary"
          disabled={revoke.isPending || !list?.length}
          onClick={() => {
            notify(null);
            revoke.mutate({ id: user.id });
          }}
        >
          {revoke.isPending ? "Signing out…" : "Sign out everywhere"}
        </button>
      </div>
    </section>
  );
}
