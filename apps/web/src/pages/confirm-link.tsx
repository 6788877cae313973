import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import type { FormEvent } from "react";

import { FormAlert, Notice, Page, useFocusOnError, useHasSession, useSession, useTRPC } from "@voiceassist/ui";

import { linkFormErrors, MissingToken, useLinkToken } from "../links/link-token";

interface ConfirmLinkProps {
  title: string;
  intro: string;
  button: string;
  done: string;
  what: string;
  next: string;
  confirm: (token: string) => Promise<unknown>;
}

/**
 * A link that only confirms something. It waits for a click rather than firing on load, so a
 * mail scanner that opens links does not spend the token.
 */
function ConfirmLink({ title, intro, button, done, what, next, confirm }: ConfirmLinkProps) {
  const token = useLinkToken();
  const queryClient = useQueryClient();
  const trpc = useTRPC();
  const signedIn = useHasSession(useSession());
  const mutation = useMutation({
    mutationFn: confirm,
    // The profile shows the email and whether it is verified.
    onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.users.me.queryKey() }),
  });
  const errors = linkFormErrors(mutation.error, next);
  const form = useFocusOnError(mutation.error);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (token) mutation.mutate(token);
  }

  return (
    <Page title={title}>
      {!token ? <MissingToken what={what} /> : null}
      {token && !mutation.isSuccess ? (
        <form ref={form} onSubmit={onSubmit} noValidate>
          <p>{intro}</p>
          <FormAlert message={errors.message} />
          <button type="submit" disabled={mutation.isPending}>
            {mutation.isPending ? "Confirming…" : button}
          </button>
        </form>
      ) : null}
      <Notice tone="success" message={mutation.isSuccess ? done : null} />
      <p>{signedIn ? <Link to="/profile">Go to your profile</Link> : <Link to="/sign-in">Sign in</Link>}</p>
    </Page>
  );
}

export function VerifyEmailPage() {
  const { client } = useSession();
  return (
    <ConfirmLink
      title="Verify your email"
      intro="Confirm that this address is yours."
      button="Verify my email"
      done="Your email address is verified."
      what="verification"
      next="Sign in and ask for a new verification link from your profile."
      confirm={(token) => client.auth.verifyEmail.mutate({ token })}
    />
  );
}

export function ConfirmEmailPage() {
  const { client } = useSession();
  return (
    <ConfirmLink
      title="Confirm your new email"
      intro="Confirm the change: from now on you sign in with this new address."
      button="Confirm new email"
      done="Your email has changed. Sign in with the new address from now on."
      what="confirmation"
      next="Sign in with your current address and request the change again from your profile."
      confirm={(token) => client.auth.confirmEmailChange.mutate({ token })}
    />
  );
}
