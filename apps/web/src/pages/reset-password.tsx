import { useMutation } from "@tanstack/react-query";
import { Link, useNavigate } from "@tanstack/react-router";
import { useState, type FormEvent } from "react";

import { FormAlert, Page, text, useFocusOnError, useTRPC } from "@voiceassist/ui";

import { NewPasswordFields, PASSWORDS_DIFFER } from "./new-password-fields";
import { useFlash } from "../flash";
import { linkFormErrors, MissingToken, useLinkToken } from "../links/link-token";

export function ResetPasswordPage() {
  const trpc = useTRPC();
  const token = useLinkToken();
  const navigate = useNavigate();
  const { setFlash } = useFlash();
  const [mismatch, setMismatch] = useState<string[] | null>(null);
  const reset = useMutation(
    trpc.auth.resetPassword.mutationOptions({
      onSuccess: () => {
        setFlash({ tone: "success", message: "Password changed. Every other session has been signed out. Please sign in." });
        void navigate({ to: "/sign-in" });
      },
    }),
  );
  const errors = linkFormErrors(reset.error, "Ask for a new reset link.");
  const form = useFocusOnError(reset.error ?? mismatch);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!token) return;
    const data = new FormData(event.currentTarget);
    reset.reset();
    const newPassword = text(data, "newPassword");
    if (newPassword !== text(data, "confirmPassword")) {
      setMismatch([...PASSWORDS_DIFFER]);
      return;
    }
    setMismatch(null);
    reset.mutate({ token, newPassword });
  }

  return (
    <Page title="Choose a new password">
      {token ? (
        <form ref={form} onSubmit={onSubmit} noValidate>
          <FormAlert message={errors.message} />
          <NewPasswordFields errors={errors.fields.newPassword} mismatch={mismatch} />
          <button type="submit" disabled={reset.isPending}>
            {reset.isPending ? "Saving…" : "Set new password"}
          </button>
        </form>
      ) : (
        <MissingToken what="password reset" />
      )}
      <p>
        <Link to="/forgot-password">Ask for a new reset link</Link>
      </p>
    </Page>
  );
}
