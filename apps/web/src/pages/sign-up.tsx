import { useMutation } from "@tanstack/react-query";
import { Link, useNavigate } from "@tanstack/react-router";
import type { FormEvent } from "react";

import { Field, FormAlert, formErrors, Page, text, useFocusOnError, useTRPC } from "@voiceassist/ui";

import { useFlash } from "../flash";

export function SignUpPage() {
  const trpc = useTRPC();
  const navigate = useNavigate();
  const { setFlash } = useFlash();
  const register = useMutation(
    trpc.auth.register.mutationOptions({
      onSuccess: ({ user }) => {
        setFlash({ tone: "success", message: "Account created. Please sign in.", email: user.email });
        void navigate({ to: "/sign-in" });
      },
    }),
  );
  const errors = formErrors(register.error);
  const form = useFocusOnError(register.error);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const fullName = text(data, "fullName").trim();
    register.mutate({ email: text(data, "email"), password: text(data, "password"), ...(fullName ? { fullName } : {}) });
  }

  return (
    <Page title="Create your account">
      <form ref={form} onSubmit={onSubmit} noValidate>
        <FormAlert message={errors.message} />
        <Field label="Email" name="email" type="email" autoComplete="email" required errors={errors.fields.email} />
        <Field label="Full name (optional)" name="fullName" autoComplete="name" errors={errors.fields.fullName} />
        <Field
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          hint="At least 8 characters."
          errors={errors.fields.password}
        />
        <button type="submit" disabled={register.isPending}>
          {register.isPending ? "Creating account…" : "Create account"}
        </button>
      </form>
      <p>
        Already registered? <Link to="/sign-in">Sign in</Link>
      </p>
    </Page>
  );
}
