import { useEffect, useRef } from "react";

/**
 * Each time `error` changes to something, moves focus so a keyboard or
 * screen-reader user lands on what needs fixing. By default that is the
 * form's first invalid control, or else its alert; with `"summary"` it is the
 * alert (the error summary, which links to each field) whenever there is one.
 * Returns the ref to put on the <form>.
 */
export function useFocusOnError(error: unknown, prefer: "field" | "summary" = "field") {
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (!error || !form.current) return;
    const field = form.current.querySelector<HTMLElement>('[aria-invalid="true"]');
    const summary = form.current.querySelector<HTMLElement>('[role="alert"]');
    const target = prefer === "summary" ? (summary ?? field) : (field ?? summary);
    target?.focus();
  }, [error, prefer]);
  return form;
}
