import { useId, type InputHTMLAttributes } from "react";

import { FieldErrors } from "@voiceassist/ui";

interface CheckboxProps extends Omit<InputHTMLAttributes<HTMLInputElement>, "type"> {
  label: string;
  name: string;
  errors?: string[] | undefined;
}

/** A labelled checkbox; the label is clickable and errors are tied to the box. */
export function Checkbox({ label, errors, ...input }: CheckboxProps) {
  const id = useId();
  const invalid = Boolean(errors?.length);
  return (
    <div className="checkbox">
      <input
        type="checkbox"
        id={id}
        aria-invalid={invalid || undefined}
        aria-describedby={invalid ? `${id}-error` : undefined}
        {...input}
      />
      <label htmlFor={id}>{label}</label>
      <FieldErrors id={`${id}-error`} errors={errors} />
    </div>
  );
}
