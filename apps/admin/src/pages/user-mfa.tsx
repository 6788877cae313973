import { useMutation, useQuery } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";

import { errorCode } from "@voiceassist/client";
import { FormAlert, formErrors, useTRPC } from "@voiceassist/ui";

import { securityPageUrl } from "../api";
import { useInvalidateAfterUserChange } from "../data";
import { formatDate } from "../ui/format";
import type { AdminUser, Notify } from "./user-detail";

type SecondFactors = AdminUser["mfa"];

/** The command that resets an admin's own factors: the panel refuses those (the caller could lock themselves out). */
export const resetMfaCommand = (email: string) => `npm run admin:reset-mfa -- --email ${email}`;

const andList = new Intl.ListFormat("en", { type: "conjunction" });
const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** "Authenticator app, 2 passkeys", or "None": the summary line at the top of the user page. */
export function describeSecondFactors(mfa: SecondFactors): string {
  const parts = [
    ...(mfa.totp ? ["Authenticator app"] : []),
    ...(mfa.passkeys.length ? [plural(mfa.passkeys.length, "passkey", "passkeys")] : []),
  ];
  return parts.length ? parts.join(", ") : "None";
}

const hasFactors = (mfa: SecondFactors) => mfa.totp || mfa.passkeys.length > 0 || mfa.backupCodesRemaining > 0;

/**
 * Which second factors the user has, and "Reset second factors" for a user
 * locked out of theirs, behind a confirmation. An admin's own factors are
 * not reset here: the panel says which command does it.
 */
export function UserSecondFactors({ user, notify }: { user: AdminUser; notify: Notify }) {
  const trpc = useTRPC();
  const me = useQuery(trpc.auth.me.queryOptions());
  const { mfa } = user;
  const isSelf = me.data?.id === user.id;

  return (
    <section className="card" aria-labelledby="mfa-title">
      <h2 id="mfa-title">Second factors</h2>
      <dl className="summary">
        <dt>Authenticator app</dt>
        <dd>{mfa.totp ? "On" : "Off"}</dd>
        <dt>Passkeys</dt>
        <dd>
          {mfa.passkeys.length === 0 ? (
            "None"
          ) : (
            <ul className="plain-list">
              {mfa.passkeys.map((key) => (
                <li key={key.id}>
                  {key.name}{" "}
                  <span className="muted">
                    (added {formatDate(key.createdAt)}, last used {key.lastUsedAt ? formatDate(key.lastUsedAt) : "never"})
                  </span>
                </li>
              ))}
            </ul>
          )}
        </dd>
        <dt>Backup codes left</dt>
        <dd>{mfa.backupCodesRemaining}</dd>
      </dl>
      {isSelf ? (
        <p>
          You manage your own second factors on your <a href={securityPageUrl}>Security page</a> in the web app. If you are locked out of
          them, another administrator can reset them here, or someone with access to the server can run{" "}
          <code>{resetMfaCommand(user.email)}</code>.
        </p>
      ) : hasFactors(mfa) ? (
        <ResetSecondFactors user={user} notify={notify} />
      ) : (
        <p>This user has no second factor: they sign in with their password alone.</p>
      )}
    </section>
  );
}

/** The reset behind an explicit confirmation step; focus moves to the question and back. */
function ResetSecondFactors({ user, notify }: { user: AdminUser; notify: Notify }) {
  const trpc = useTRPC();
  const invalidate = useInvalidateAfterUserChange();
  const [confirming, setConfirming] = useState(false);
  const reset = useMutation(
    trpc.users.resetMfa.mutationOptions({
      onSuccess: async () => {
        setConfirming(false);
        notify(
          "Second factors reset: every session of the user has ended and they were told by mail. They sign in with their password now.",
        );
        await invalidate();
      },
    }),
  );
  const question = useRef<HTMLParagraphElement>(null);
  const opener = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (confirming) question.current?.focus();
  }, [confirming]);

  const cancel = () => {
    setConfirming(false);
    reset.reset();
    setTimeout(() => opener.current?.focus());
  };

  if (!confirming) {
    return (
      <button
        type="button"
        ref={opener}
        className="danger"
        onClick={() => {
          notify(null);
          setConfirming(true);
        }}
      >
        Reset second factors…
      </button>
    );
  }
  const { mfa } = user;
  const removed = [
    ...(mfa.totp ? ["their authenticator app"] : []),
    ...(mfa.passkeys.length ? [plural(mfa.passkeys.length, "passkey", "passkeys")] : []),
    ...(mfa.backupCodesRemaining ? [plural(mfa.backupCodesRemaining, "backup code", "backup codes")] : []),
  ];
  return (
    <fieldset aria-labelledby="reset-mfa-question" className="confirm">
      <p id="reset-mfa-question" ref={question} tabIndex={-1}>
        Reset the second factors of <strong>{user.email}</strong>?
      </p>
      <p>
        This removes {andList.format(removed)} and signs them out everywhere. Until they set up a factor again, their password alone signs
        them in. They are told by mail. Do this only once you are sure the request comes from them.
      </p>
      <FormAlert message={formErrors(reset.error).message} />
      {errorCode(reset.error) === "BAD_REQUEST" ? (
        <p>
          An administrator's own second factors are reset on the server: <code>{resetMfaCommand(user.email)}</code>
        </p>
      ) : null}
      <div className="actions">
        <button
          type="button"
          className="danger"
          onClick={() => {
            notify(null);
            reset.mutate({ id: user.id });
          }}
          disabled={reset.isPending}
        >
          {reset.isPending ? "Resetting…" : "Yes, reset second factors"}
        </button>
        <button type="button" className="secondary" onClick={cancel}>
          Cancel
        </button>
      </div>
    </fieldset>
  );
}
