import { useMutation } from "@tanstack/react-query";
import { useCallback, useMemo, useState, type FormEvent } from "react";

import { isMfaChallenge, type MfaChallenge, type RouterInputs } from "@voiceassist/client";
import {
  Field,
  FormAlert,
  Notice,
  Page,
  PasskeySignIn,
  retryMessage,
  SecondFactorStep,
  type SignInGate,
  text,
  useFocusOnError,
  useFormErrors,
  useRetryCountdown,
  useSession,
} from "@voiceassist/ui";

import { NOT_ADMIN_MESSAGE } from "../api";
import { useFlash } from "../flash";

export function SignInPage() {
  const session = useSession();
  const { flash, setFlash } = useFlash();
  const [challenge, setChallenge] = useState<MfaChallenge | null>(null);
  const [triedEmail, setTriedEmail] = useState("");
  // Non-admins are refused before their tokens are kept, so the panel never shows a signed-in state to them.
  const gate = useMemo<SignInGate>(
    () => ({
      allow: (pair) => pair.user.isAdmin,
      onRefused: () => {
        setChallenge(null);
        setFlash({ tone: "error", message: NOT_ADMIN_MESSAGE });
      },
    }),
    [setFlash],
  );
  const signIn = useMutation({
    mutationFn: (input: RouterInputs["auth"]["login"]) => session.signIn(input, { allow: gate.allow }),
    onSuccess: (result) => {
      if (result === null) gate.onRefused?.();
      else if (isMfaChallenge(result)) setChallenge(result);
    },
  });
  const errors = useFormErrors(signIn.error);
  const form = useFocusOnError(signIn.error, "summary");
  // A rate limit counts down, and the button waits for it.
  const retryIn = useRetryCountdown(signIn.error);
  const restart = useCallback(
    (reason: string | null) => {
      signIn.reset();
      setFlash(reason ? { tone: "warning", message: reason } : null);
      setChallenge(null);
    },
    [signIn.reset, setFlash],
  );

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    // The last screen's message (e.g. "signed out") is stale once the operator acts.
    setFlash(null);
    const data = new FormData(event.currentTarget);
    setTriedEmail(text(data, "email"));
    signIn.mutate({ email: text(data, "email"), password: text(data, "password") });
  }

  if (challenge) return <SecondFactorStep challenge={challenge} gate={gate} onRestart={restart} />;

  return (
    <Page title="Admin sign-in">
      {flash?.tone === "error" ? <FormAlert message={flash.message} /> : <Notice message={flash?.message} tone={flash?.tone} />}
      <form ref={form} onSubmit={onSubmit} onInput={errors.onInput} noValidate>
        <FormAlert message={retryIn === null ? errors.message : retryMessage(retryIn)} fields={errors.fields} />
        <Field
          label="Email"
          name="email"
          type="email"
          autoComplete="username"
          required
          defaultValue={triedEmail}
          errors={errors.fields.email}
        />
        <Field label="Password" name="password" type="password" autoComplete="current-password" required errors={errors.fields.password} />
        <button type="submit" disabled={signIn.isPending || Boolean(retryIn)}>
          {signIn.isPending ? "Signing in…" : "Sign in"}
        </button>
      </form>
      <PasskeySignIn gate={gate} />
    </Page>
  );
}
