import type { FormEvent, ReactNode } from "react";

import { Field, FormAlert, formErrors, retryMessage, text, useFocusOnError, useRetryCountdown } from "@voiceassist/ui";

export interface ProofField {
  /** The input's name, which is also the key of its server errors ("code", "currentPassword"). */
  name: "code" | "currentPassword";
  label: string;
  hint?: string;
}

/** A code field: an authenticator code or a backup code, as the server takes either. */
export const CODE_FIELD: ProofField = {
  name: "code",
  label: "Code from your authenticator app, or a backup code",
  hint: "Every code works once.",
};
export const PASSWORD_FIELD: ProofField = { name: "currentPassword", label: "Current password" };

/**
 * A step that needs proof it is you (a current password or code) before it runs:
 * one field, a confirm button and a way back. Rate limits count down.
 */
export function ProofForm({
  title,
  field,
  submit,
  pending,
  isPending,
  error,
  onProof,
  onCancel,
  children,
}: {
  title: string;
  field: ProofField;
  submit: string;
  pending: string;
  isPending: boolean;
  error: unknown;
  onProof: (value: string) => void;
  onCancel: () => void;
  children?: ReactNode;
}) {
  const errors = formErrors(error);
  const retryIn = useRetryCountdown(error);
  const form = useFocusOnError(error);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    onProof(text(new FormData(event.currentTarget), field.name));
  }

  return (
    <form ref={form} onSubmit={onSubmit} noValidate aria-label={title}>
      {children}
      <FormAlert message={retryIn === null ? errors.message : retryMessage(retryIn)} />
      <Field
        label={field.label}
        name={field.name}
        {...(field.name === "currentPassword"
          ? { type: "password", autoComplete: "current-password" }
          : { autoComplete: "one-time-code", autoCapitalize: "none", spellCheck: false })}
        {...(field.hint ? { hint: field.hint } : {})}
        required
        errors={errors.fields[field.name]}
      />
      <div className="actions">
        <button type="submit" disabled={isPending || Boolean(retryIn)}>
          {isPending ? pending : submit}
        </button>
        <button type="button" className="secondary" onClick={onCancel} disabled={isPending}>
          Cancel
        </button>
      </div>
    </form>
  );
}
