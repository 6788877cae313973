import { useId, type TextareaHTMLAttributes } from "react";

import { FieldErrors } from "@voiceassist/ui";

interface TextAreaFieldProps extends TextareaHTMLAttributes<HTMLTextAreaElement> {
  label: string;
  name: string;
  errors?: string[] | undefined;
  hint?: string | undefined;
}

/** A labelled multi-line field (one value per line); hint and errors are tied to it like Field's. */
export function TextAreaField({ label, errors, hint, ...textarea }: TextAreaFieldProps) {
  const id = useId();
  const invalid = Boolean(errors?.length);
  const describedBy = [hint ? `${id}-hint` : null, invalid ? `${id}-error` : null].filter(Boolean).join(" ");
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea id={id} aria-invalid={invalid || undefined} aria-describedby={describedBy || undefined} {...textarea} />
      {hint ? (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      ) : null}
      <FieldErrors id={`${id}-error`} errors={errors} />
    </div>
  );
}
