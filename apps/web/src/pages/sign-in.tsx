import type { FormEvent } from "react";

import type { RouterInputs } from "@voiceassist/client";
import { Field, FormAlert, Notice, Page, text, useAction } from "@voiceassist/ui";

import { session } from "../api";
import type { Flash } from "../flash";

const signIn = (input: RouterInputs["auth"]["login"]) => session.signIn(input);

/** On success the token store changes and the app moves on to the profile by itself. */
export function SignInPage({ flash }: { flash: Flash | null }) {
  const action = useAction(signIn);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    void action.run({ email: text(form, "email"), password: text(form, "password") });
  }

  return (
    <Page title="Sign in">
      <Notice message={flash?.message} tone={flash?.tone} />
      {/* noValidate: the server's messages are shown next to the fields instead of browser bubbles. */}
      <form onSubmit={onSubmit} noValidate>
        <FormAlert message={action.message} />
        <Field label="Email" name="email" type="email" autoComplete="email" required defaultValue={flash?.email} errors={action.fieldErrors.email} />
        <Field label="Password" name="password" type="password" autoComplete="current-password" required errors={action.fieldErrors.password} />
        <button type="submit" disabled={action.pending}>
          {action.pending ? "Signing in…" : "Sign in"}
        </button>
      </form>
      <p>
        New here? <a href="#/sign-up">Create an account</a>
      </p>
    </Page>
  );
}
