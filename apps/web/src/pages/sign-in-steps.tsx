import { useMutation } from "@tanstack/react-query";
import { useCallback, useState, type FormEvent, type ReactNode } from "react";

import { errorReason, isMfaChallenge, type MfaChallenge, type RouterInputs } from "@voiceassist/client";
import {
  Field,
  FormAlert,
  formErrors,
  Notice,
  Page,
  PasskeySignIn,
  SecondFactorStep,
  type SignInGate,
  text,
  useFocusOnError,
  useSession,
  useTRPC,
} from "@voiceassist/ui";

import { useFlash } from "../flash";

/**
 * The password, then (for an account with a second factor) the second step, with the passkey
 * sign-in beside the form. On success the token store changes; `gate.onSignedIn` is for a page
 * that goes on by itself rather than by a route guard. `intro` is said above the form, `children`
 * shown below it.
 */
export function SignInSteps({
  title,
  intro,
  gate,
  notice,
  children,
}: {
  title: string;
  intro?: ReactNode;
  gate?: SignInGate;
  /** Why the password is asked (again), when the page knows better than the flash. */
  notice?: string | null;
  children?: ReactNode;
}) {
  const session = useSession();
  const { flash } = useFlash();
  const [challenge, setChallenge] = useState<MfaChallenge | null>(null);
  // Why the password is asked again (the second step timed out), shown above the form.
  const [restarted, setRestarted] = useState<string | null>(null);
  const signIn = useMutation({
    mutationFn: (input: RouterInputs["auth"]["login"]) => session.signIn(input),
    onSuccess: (result) => {
      if (isMfaChallenge(result)) setChallenge(result);
      else gate?.onSignedIn?.();
    },
  });
  const errors = formErrors(signIn.error);
  const form = useFocusOnError(signIn.error);
  // The email tried, for "send the link again" after EMAIL_NOT_VERIFIED and to refill the form.
  const [triedEmail, setTriedEmail] = useState("");
  const restart = useCallback(
    (reason: string | null) => {
      signIn.reset();
      setRestarted(reason);
      setChallenge(null);
    },
    [signIn.reset],
  );

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    setTriedEmail(text(data, "email"));
    setRestarted(null);
    signIn.mutate({ email: text(data, "email"), password: text(data, "password") });
  }

  if (challenge) return <SecondFactorStep challenge={challenge} gate={gate} onRestart={restart} />;

  return (
    <Page title={title}>
      {intro}
      <Notice message={restarted ?? notice ?? flash?.message} tone={restarted || notice ? "warning" : flash?.tone} />
      {/* noValidate: the server's messages are shown next to the fields instead of browser bubbles. */}
      <form ref={form} onSubmit={onSubmit} noValidate>
        <FormAlert message={errors.message} />
        {errorReason(signIn.error) === "EMAIL_NOT_VERIFIED" ? <ResendLink email={triedEmail} /> : null}
        <Field
          label="Email"
          name="email"
          type="email"
          autoComplete="email"
          required
          defaultValue={triedEmail || flash?.email}
          errors={errors.fields.email}
        />
        <Field label="Password" name="password" type="password" autoComplete="current-password" required errors={errors.fields.password} />
        <button type="submit" disabled={signIn.isPending}>
          {signIn.isPending ? "Signing in…" : "Sign in"}
        </button>
      </form>
      <PasskeySignIn gate={gate} />
      {children}
    </Page>
  );
}

/**
 * Resending needs a session, which an unverified account cannot get; a password reset link also
 * verifies the address, so that is what "send the link again" asks for.
 */
function ResendLink({ email }: { email: string }) {
  const trpc = useTRPC();
  const resend = useMutation(trpc.auth.requestPasswordReset.mutationOptions());
  return (
    <div className="actions">
      <button type="button" className="secondary" disabled={resend.isPending || resend.isSuccess} onClick={() => resend.mutate({ email })}>
        {resend.isPending ? "Sending…" : "Send the link again"}
      </button>
      <Notice
        tone="success"
        message={
          resend.isSuccess ? `A link is on its way to ${email}. Following it verifies your address and lets you set a password.` : null
        }
      />
      <FormAlert message={formErrors(resend.error).message} />
    </div>
  );
}
