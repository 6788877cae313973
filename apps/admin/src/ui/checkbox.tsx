import { useId, type InputHTMLAttributes } from "react";

import { FieldErrors } from "@voiceassist/ui";

interface CheckboxProps extends Omit<InputHTMLAttributes<HTMLInputElement>, "type"> {
  label: string;
  name: string;
  errors?: string[] | undefined;
  /** Why the box is as it is (e.g. locked), tied to it for assistive technology. */
  hint?: string | undefined;
}

/** A labelled checkbox; the label is clickable and errors and hint are tied to the box. */
export function Checkbox({ label, errors, hint, ...input }: CheckboxProps) {
  const id = useId();
  const invalid = Boolean(errors?.length);
  const describedBy = [hint ? `${id}-hint` : null, invalid ? `${id}-error` : null].filter(Boolean).join(" ");
  return (
    <div className="checkbox">
      <input type="checkbox" id={id} aria-invalid={invalid || undefined} aria-describedby={describedBy || undefined} {...input} />
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      ) : null}
      <FieldErrors id={`${id}-error`} errors={errors} />
    </div>
  );
}
