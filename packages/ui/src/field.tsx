import { useId, type InputHTMLAttributes } from "react";

import { FieldErrors } from "./field-errors";

export interface FieldProps extends InputHTMLAttributes<HTMLInputElement> {
  label: string;
  name: string;
  /** Messages for this field (e.g. from the server's zodError); shown under the input. */
  errors?: string[] | undefined;
  hint?: string;
}

/** A labelled input whose errors are tied to it for assistive technology. */
export function Field({ label, errors, hint, ...input }: FieldProps) {
  const id = useId();
  const invalid = Boolean(errors?.length);
  const describedBy = [hint ? `${id}-hint` : null, invalid ? `${id}-error` : null].filter(Boolean).join(" ");
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} aria-invalid={invalid || undefined} aria-describedby={describedBy || undefined} {...input} />
      {hint ? (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      ) : null}
      <FieldErrors id={`${id}-error`} errors={errors} />
    </div>
  );
}
