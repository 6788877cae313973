import { useCallback, useEffect, useState, type FormEvent } from "react";

import { formErrors } from "./form-errors";

/**
 * A failed call's errors as a form shows them, with each field's errors
 * dropped as soon as that field is edited (a corrected field must not stay
 * red). Put `onInput` on the <form>; a new error shows everything again.
 */
export function useFormErrors(error: unknown) {
  const [edited, setEdited] = useState<ReadonlySet<string>>(new Set());
  useEffect(() => {
    if (error) setEdited(new Set());
  }, [error]);
  const onInput = useCallback((event: FormEvent<HTMLFormElement>) => {
    const name = (event.target as HTMLInputElement).name;
    if (name) setEdited((names) => (names.has(name) ? names : new Set([...names, name])));
  }, []);
  const { message, fields } = formErrors(error);
  const shown = Object.fromEntries(Object.entries(fields).filter(([name]) => !edited.has(name)));
  return { message, fields: shown, onInput };
}
