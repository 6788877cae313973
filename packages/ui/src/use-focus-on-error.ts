import { useEffect, useRef } from "react";

/**
 * Each time `error` changes to something, moves focus to the form's first
 * invalid control, or else to its alert, so a keyboard or screen-reader user
 * lands on what needs fixing. Returns the ref to put on the <form>.
 */
export function useFocusOnError(error: unknown) {
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (!error || !form.current) return;
    const target =
      form.current.querySelector<HTMLElement>('[aria-invalid="true"]') ?? form.current.querySelector<HTMLElement>('[role="alert"]');
    target?.focus();
  }, [error]);
  return form;
}
