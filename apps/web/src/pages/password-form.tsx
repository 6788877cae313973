import { useState, type FormEvent } from "react";

import type { RouterInputs } from "@voiceassist/client";
import { Field, FormAlert, Notice, text, useAction } from "@voiceassist/ui";

import { api } from "../api";

const changePassword = (input: RouterInputs["users"]["changePassword"]) => api.users.changePassword.mutate(input);

export function PasswordForm() {
  const action = useAction(changePassword);
  const [mismatch, setMismatch] = useState(false);
  const [changed, setChanged] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    setChanged(false);
    const newPassword = text(form, "newPassword");
    // The only check made here: the server cannot know what the user meant to type twice.
    const differs = newPassword !== text(form, "confirmPassword");
    setMismatch(differs);
    if (differs) return;
    const result = await action.run({ currentPassword: text(form, "currentPassword"), newPassword });
    if (result.ok) {
      formElement.reset();
      setChanged(true);
    }
  }

  return (
    <form onSubmit={onSubmit} noValidate className="card" aria-labelledby="password-form-title">
      <h2 id="password-form-title">Change password</h2>
      <FormAlert message={action.message} />
      <Field
        label="Current password"
        name="currentPassword"
        type="password"
        autoComplete="current-password"
        required
        errors={action.fieldErrors.currentPassword}
      />
      <Field
        label="New password"
        name="newPassword"
        type="password"
        autoComplete="new-password"
        required
        hint="At least 8 characters."
        errors={action.fieldErrors.newPassword}
      />
      <Field
        label="Confirm new password"
        name="confirmPassword"
        type="password"
        autoComplete="new-password"
        required
        errors={mismatch ? ["The passwords do not match."] : undefined}
      />
      <button type="submit" disabled={action.pending}>
        {action.pending ? "Changing…" : "Change password"}
      </button>
      <Notice message={changed ? "Password changed. Your other sessions have been signed out." : null} tone="success" />
    </form>
  );
}
