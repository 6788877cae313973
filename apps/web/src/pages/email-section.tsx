import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";

import { Field, FormAlert, formErrors, Notice, text, useFocusOnError, useTRPC } from "@voiceassist/ui";

import type { User } from "./profile";

/**
 * The sign-in email: whether it is verified, a change waiting for its confirmation link, and the
 * form that starts a change. The email itself changes only when the link mailed to the new
 * address is followed (auth.confirmEmailChange).
 */
export function EmailSection({ user }: { user: User }) {
  return (
    <section className="card" aria-labelledby="email-title">
      <h2 id="email-title">Email address</h2>
      <p>
        You sign in with <strong>{user.email}</strong>.
      </p>
      {user.emailVerifiedAt ? null : <ResendVerification />}
      {user.pendingEmail ? <PendingChange pendingEmail={user.pendingEmail} /> : null}
      <ChangeEmailForm />
    </section>
  );
}

function useRefreshMe() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: trpc.users.me.queryKey() });
}

function ResendVerification() {
  const trpc = useTRPC();
  const resend = useMutation(trpc.auth.resendVerification.mutationOptions());
  return (
    <div>
      <p className="alert alert-warning">This address is not verified yet. Follow the link we mailed to it.</p>
      <div className="actions">
        <button type="button" className="secondary" disabled={resend.isPending} onClick={() => resend.mutate()}>
          {resend.isPending ? "Sending…" : "Resend verification"}
        </button>
      </div>
      <Notice tone="success" message={resend.isSuccess ? "A new verification link is on its way; older links no longer work." : null} />
      <FormAlert message={formErrors(resend.error).message} />
    </div>
  );
}

function PendingChange({ pendingEmail }: { pendingEmail: string }) {
  const trpc = useTRPC();
  const refreshMe = useRefreshMe();
  const resend = useMutation(trpc.users.resendEmailChange.mutationOptions());
  const cancel = useMutation(trpc.users.cancelEmailChange.mutationOptions({ onSuccess: refreshMe }));
  const busy = resend.isPending || cancel.isPending;
  return (
    <div>
      <p className="alert alert-info">
        Waiting for confirmation of <strong>{pendingEmail}</strong>: follow the link we mailed there. Until then you keep signing in with
        your current address.
      </p>
      <div className="actions">
        <button type="button" className="secondary" disabled={busy} onClick={() => resend.mutate()}>
          {resend.isPending ? "Sending…" : "Resend confirmation"}
        </button>
        <button type="button" className="secondary" disabled={busy} onClick={() => cancel.mutate()}>
          {cancel.isPending ? "Cancelling…" : "Cancel change"}
        </button>
      </div>
      <Notice tone="success" message={resend.isSuccess ? `A new confirmation link is on its way to ${pendingEmail}.` : null} />
      <FormAlert message={formErrors(resend.error ?? cancel.error).message} />
    </div>
  );
}

function ChangeEmailForm() {
  const trpc = useTRPC();
  const refreshMe = useRefreshMe();
  const [sentTo, setSentTo] = useState<string | null>(null);
  const request = useMutation(trpc.users.requestEmailChange.mutationOptions({ onSuccess: refreshMe }));
  const errors = formErrors(request.error);
  const form = useFocusOnError(request.error);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const data = new FormData(formElement);
    setSentTo(null);
    request.mutate(
      { newEmail: text(data, "newEmail"), currentPassword: text(data, "currentPassword") },
      {
        onSuccess: ({ pendingEmail }) => {
          setSentTo(pendingEmail);
          formElement.reset();
        },
      },
    );
  }

  return (
    <form ref={form} onSubmit={onSubmit} noValidate aria-labelledby="change-email-title">
      <h3 id="change-email-title">Change email</h3>
      <FormAlert message={errors.message} />
      <Field label="New email" name="newEmail" type="email" autoComplete="email" required errors={errors.fields.newEmail} />
      <Field
        label="Current password"
        name="currentPassword"
        type="password"
        autoComplete="current-password"
        required
        errors={errors.fields.currentPassword}
      />
      <button type="submit" disabled={request.isPending}>
        {request.isPending ? "Sending…" : "Change email"}
      </button>
      <Notice
        tone="success"
        message={sentTo ? `We mailed a confirmation link to ${sentTo}. Your email changes when you follow it.` : null}
      />
    </form>
  );
}
