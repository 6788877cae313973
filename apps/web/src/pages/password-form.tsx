import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";

import { Field, FormAlert, formErrors, Notice, text, useFocusOnError, useTRPC } from "@voiceassist/ui";
import { NewPasswordFields, PASSWORDS_DIFFER } from "./new-password-fields";

export function PasswordForm() {
  const trpc = useTRPC();
  const [mismatch, setMismatch] = useState<string[] | null>(null);
  // Nothing cached depends on the password, so there is nothing to invalidate.
  const change = useMutation(trpc.users.changePassword.mutationOptions());
  const errors = formErrors(change.error);
  const form = useFocusOnError(change.error ?? mismatch);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const data = new FormData(formElement);
    change.reset();
    const newPassword = text(data, "newPassword");
    // The only check made here: the server cannot know what the user meant to type twice.
    if (newPassword !== text(data, "confirmPassword")) {
      setMismatch([...PASSWORDS_DIFFER]);
      return;
    }
    setMismatch(null);
    change.mutate({ currentPassword: text(data, "currentPassword"), newPassword }, { onSuccess: () => formElement.reset() });
  }

  return (
    <form ref={form} onSubmit={onSubmit} noValidate className="card" aria-labelledby="password-form-title">
      <h2 id="password-form-title">Change password</h2>
      <FormAlert message={errors.message} />
      <Field
        label="Current password"
        name="currentPassword"
        type="password"
        autoComplete="current-password"
        required
        errors={errors.fields.currentPassword}
      />
      <NewPasswordFields errors={errors.fields.newPassword} mismatch={mismatch} />
      <button type="submit" disabled={change.isPending}>
        {change.isPending ? "Changing…" : "Change password"}
      </button>
      <Notice message={change.isSuccess ? "Password changed. Your other sessions have been signed out." : null} tone="success" />
    </form>
  );
}
