import { useMutation } from "@tanstack/react-query";
import type { FormEvent } from "react";

import type { RouterInputs } from "@voiceassist/client";
import { Field, FormAlert, formErrors, Notice, Page, text, useFocusOnError, useSession } from "@voiceassist/ui";

import { NOT_ADMIN_MESSAGE } from "../api";
import { useFlash } from "../flash";

export function SignInPage() {
  const session = useSession();
  const { flash, setFlash } = useFlash();
  // Non-admins are refused before their tokens are kept, so the panel never shows a signed-in state to them.
  const signIn = useMutation({
    mutationFn: (input: RouterInputs["auth"]["login"]) => session.signIn(input, { allow: (pair) => pair.user.isAdmin }),
    onSuccess: (pair) => {
      if (pair === null) setFlash({ tone: "error", message: NOT_ADMIN_MESSAGE });
    },
  });
  const errors = formErrors(signIn.error);
  const form = useFocusOnError(signIn.error);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    signIn.mutate({ email: text(data, "email"), password: text(data, "password") });
  }

  return (
    <Page title="Admin sign-in">
      {flash?.tone === "error" ? <FormAlert message={flash.message} /> : <Notice message={flash?.message} tone={flash?.tone} />}
      <form ref={form} onSubmit={onSubmit} noValidate>
        <FormAlert message={errors.message} />
        <Field label="Email" name="email" type="email" autoComplete="username" required errors={errors.fields.email} />
        <Field label="Password" name="password" type="password" autoComplete="current-password" required errors={errors.fields.password} />
        <button type="submit" disabled={signIn.isPending}>
          {signIn.isPending ? "Signing in…" : "Sign in"}
        </button>
      </form>
    </Page>
  );
}
