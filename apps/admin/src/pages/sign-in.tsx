import type { FormEvent } from "react";

import type { RouterInputs } from "@voiceassist/client";
import { Field, FormAlert, Notice, Page, text, useAction } from "@voiceassist/ui";
import type { Flash } from "@voiceassist/ui";

import { NOT_ADMIN_MESSAGE, session } from "../api";

// Non-admins are refused before their tokens are kept, so the panel never shows a signed-in state to them.
const signIn = (input: RouterInputs["auth"]["login"]) => session.signIn(input, { allow: (pair) => pair.user.isAdmin });

export function SignInPage({ flash, onRefused }: { flash: Flash | null; onRefused: (flash: Flash) => void }) {
  const action = useAction(signIn);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const result = await action.run({ email: text(form, "email"), password: text(form, "password") });
    if (result.ok && result.value === null) onRefused({ tone: "error", message: NOT_ADMIN_MESSAGE });
  }

  return (
    <Page title="Admin sign-in">
      {flash?.tone === "error" ? <FormAlert message={flash.message} /> : <Notice message={flash?.message} tone={flash?.tone} />}
      <form onSubmit={onSubmit} noValidate>
        <FormAlert message={action.message} />
        <Field label="Email" name="email" type="email" autoComplete="username" required errors={action.fieldErrors.email} />
        <Field label="Password" name="password" type="password" autoComplete="current-password" required errors={action.fieldErrors.password} />
        <button type="submit" disabled={action.pending}>
          {action.pending ? "Signing in…" : "Sign in"}
        </button>
      </form>
    </Page>
  );
}
