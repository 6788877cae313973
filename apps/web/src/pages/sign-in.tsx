import { useMutation } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import type { FormEvent } from "react";

import type { RouterInputs } from "@voiceassist/client";
import { Field, FormAlert, formErrors, Notice, Page, text, useFocusOnError, useSession } from "@voiceassist/ui";

import { useFlash } from "../flash";

/** On success the token store changes and the route guard moves on to the profile by itself. */
export function SignInPage() {
  const session = useSession();
  const { flash } = useFlash();
  const signIn = useMutation({ mutationFn: (input: RouterInputs["auth"]["login"]) => session.signIn(input) });
  const errors = formErrors(signIn.error);
  const form = useFocusOnError(signIn.error);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    signIn.mutate({ email: text(data, "email"), password: text(data, "password") });
  }

  return (
    <Page title="Sign in">
      <Notice message={flash?.message} tone={flash?.tone} />
      {/* noValidate: the server's messages are shown next to the fields instead of browser bubbles. */}
      <form ref={form} onSubmit={onSubmit} noValidate>
        <FormAlert message={errors.message} />
        <Field
          label="Email"
          name="email"
          type="email"
          autoComplete="email"
          required
          defaultValue={flash?.email}
          errors={errors.fields.email}
        />
        <Field label="Password" name="password" type="password" autoComplete="current-password" required errors={errors.fields.password} />
        <button type="submit" disabled={signIn.isPending}>
          {signIn.isPending ? "Signing in…" : "Sign in"}
        </button>
      </form>
      <p>
        New here? <Link to="/sign-up">Create an account</Link>
      </p>
    </Page>
  );
}
