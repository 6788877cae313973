import { useId, type InputHTMLAttributes, type ReactNode, type TextareaHTMLAttributes } from "react";

import { FieldErrors } from "./field-errors";

interface LabelledProps {
  label: string;
  name: string;
  /** Messages for this field (e.g. from the server's zodError); shown under the control. */
  errors?: string[] | undefined;
  hint?: string | undefined;
}

export type FieldProps = InputHTMLAttributes<HTMLInputElement> & LabelledProps;
export type TextAreaFieldProps = TextareaHTMLAttributes<HTMLTextAreaElement> & LabelledProps;

/** A labelled input whose errors are tied to it for assistive technology. */
export function Field({ label, errors, hint, ...input }: FieldProps) {
  return <Labelled label={label} errors={errors} hint={hint} control={(aria) => <input {...aria} {...input} />} />;
}

/** A labelled multi-line field (one value per line), its hint and errors tied to it like Field's. */
export function TextAreaField({ label, errors, hint, ...textarea }: TextAreaFieldProps) {
  return <Labelled label={label} errors={errors} hint={hint} control={(aria) => <textarea {...aria} {...textarea} />} />;
}

interface ControlAria {
  id: string;
  "aria-invalid": true | undefined;
  "aria-describedby": string | undefined;
}

/** The one place a control gets its label, hint and errors, and the ids that tie them together. */
function Labelled({ label, errors, hint, control }: Omit<LabelledProps, "name"> & { control: (aria: ControlAria) => ReactNode }) {
  const id = useId();
  const invalid = Boolean(errors?.length);
  const describedBy = [hint ? `${id}-hint` : null, invalid ? `${id}-error` : null].filter(Boolean).join(" ");
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {control({ id, "aria-invalid": invalid || undefined, "aria-describedby": describedBy || undefined })}
      {hint ? (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      ) : null}
      <FieldErrors id={`${id}-error`} errors={errors} />
    </div>
  );
}
