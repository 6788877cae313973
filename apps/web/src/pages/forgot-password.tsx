import { useMutation } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useState, type FormEvent } from "react";

import { Field, FormAlert, formErrors, Notice, Page, text, useFocusOnError, useTRPC } from "@voiceassist/ui";

/** The answer is the same whether or not an account has the email, so the page never tells. */
export function ForgotPasswordPage() {
  const trpc = useTRPC();
  const [sentTo, setSentTo] = useState<string | null>(null);
  const request = useMutation(trpc.auth.requestPasswordReset.mutationOptions());
  const errors = formErrors(request.error);
  const form = useFocusOnError(request.error);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const email = text(new FormData(event.currentTarget), "email");
    setSentTo(null);
    request.mutate({ email }, { onSuccess: () => setSentTo(email) });
  }

  return (
    <Page title="Reset your password">
      <p>Enter the email you sign in with. We will mail you a link to choose a new password.</p>
      <form ref={form} onSubmit={onSubmit} noValidate>
        <FormAlert message={errors.message} />
        <Field label="Email" name="email" type="email" autoComplete="email" required errors={errors.fields.email} />
        <button type="submit" disabled={request.isPending}>
          {request.isPending ? "Sending…" : "Send reset link"}
        </button>
      </form>
      <Notice
        tone="success"
        message={
          sentTo
            ? `If an account uses ${sentTo}, a reset link is on its way. It works once, for 1 hour. Check your spam folder if it does not arrive.`
            : null
        }
      />
      <p>
        Remembered it? <Link to="/sign-in">Sign in</Link>
      </p>
    </Page>
  );
}
