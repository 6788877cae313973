import { Field } from "@voiceassist/ui";

/** What the confirmation field says when it does not repeat the new password. */
export const PASSWORDS_DIFFER = ["The passwords do not match."];

/** A new password typed twice: the one place its hint, autocomplete and mismatch error are set. */
export function NewPasswordFields({
  name = "newPassword",
  label = "New password",
  confirmLabel = "Confirm new password",
  errors,
  mismatch,
}: {
  name?: string;
  label?: string;
  confirmLabel?: string;
  errors: string[] | undefined;
  mismatch: string[] | null;
}) {
  return (
    <>
      <Field label={label} name={name} type="password" autoComplete="new-password" required hint="At least 8 characters." errors={errors} />
      <Field
        label={confirmLabel}
        name="confirmPassword"
        type="password"
        autoComplete="new-password"
        required
        errors={mismatch ?? undefined}
      />
    </>
  );
}
