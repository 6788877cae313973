import type { FormEvent } from "react";

import type { RouterInputs } from "@voiceassist/client";
import { Field, FormAlert, navigate, Page, text, useAction } from "@voiceassist/ui";

import { api } from "../api";

const register = (input: RouterInputs["auth"]["register"]) => api.auth.register.mutate(input);

export function SignUpPage({ onRegistered }: { onRegistered: (email: string) => void }) {
  const action = useAction(register);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const fullName = text(form, "fullName").trim();
    const result = await action.run({
      email: text(form, "email"),
      password: text(form, "password"),
      ...(fullName ? { fullName } : {}),
    });
    if (result.ok) {
      onRegistered(result.value.user.email);
      navigate("/sign-in");
    }
  }

  return (
    <Page title="Create your account">
      <form onSubmit={onSubmit} noValidate>
        <FormAlert message={action.message} />
        <Field label="Email" name="email" type="email" autoComplete="email" required errors={action.fieldErrors.email} />
        <Field label="Full name (optional)" name="fullName" autoComplete="name" errors={action.fieldErrors.fullName} />
        <Field
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          hint="At least 8 characters."
          errors={action.fieldErrors.password}
        />
        <button type="submit" disabled={action.pending}>
          {action.pending ? "Creating account…" : "Create account"}
        </button>
      </form>
      <p>
        Already registered? <a href="#/sign-in">Sign in</a>
      </p>
    </Page>
  );
}
