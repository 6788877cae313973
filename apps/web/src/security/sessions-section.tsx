import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import type { RouterOutputs } from "@voiceassist/client";
import { describeDevice, FormAlert, formErrors, Notice, useTRPC } from "@voiceassist/ui";

import { formatWhen } from "./refresh";

type Session = RouterOutputs["auth"]["sessions"][number];

/** Where the account is signed in, newest first; any other one can be signed out here. */
export function SessionsSection({ sessions, error }: { sessions: Session[] | undefined; error: unknown }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [notice, setNotice] = useState<string | null>(null);
  const revoke = useMutation(
    trpc.auth.revokeSession.mutationOptions({
      onSuccess: async (_, { sessionId }) => {
        const ended = sessions?.find((session) => session.id === sessionId);
        setNotice(`Signed out ${ended ? describeDevice(ended.userAgent) : "that session"}.`);
        await queryClient.invalidateQueries({ queryKey: trpc.auth.sessions.queryKey() });
      },
    }),
  );

  return (
    <section className="card" aria-labelledby="sessions-title">
      <h2 id="sessions-title">Your sessions</h2>
      <FormAlert message={formErrors(error ?? revoke.error).message} />
      <Notice tone="success" message={notice} />
      {sessions === undefined && !error ? <p role="status">Loading your sessions…</p> : null}
      {sessions?.length ? (
        <ul className="item-list" aria-label="Your sessions">
          {sessions.map((session) => {
            const device = describeDevice(session.userAgent);
            return (
              <li key={session.id} aria-current={session.current ? "true" : undefined}>
                <div className="item-head">
                  <strong className="item-name" title={session.userAgent ?? undefined}>
                    {device}
                  </strong>
                  {session.current ? (
                    <span className="badge badge-on">This device</span>
                  ) : (
                    <button
                      type="button"
                      className="secondary"
                      aria-label={`Sign out ${device}, signed in ${formatWhen(session.createdAt)}`}
                      disabled={revoke.isPending}
                      onClick={() => {
                        setNotice(null);
                        revoke.mutate({ sessionId: session.id });
                      }}
                    >
                      Sign out
                    </button>
                  )}
                </div>
                <p className="item-meta">
                  IP {session.ip ?? "unknown"} · Signed in {formatWhen(session.createdAt)} · Last used {formatWhen(session.lastUsedAt)}
                  {session.mfa ? " · With a second factor" : ""}
                </p>
              </li>
            );
          })}
        </ul>
      ) : null}
    </section>
  );
}
