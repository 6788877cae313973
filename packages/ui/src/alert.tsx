import type { Tone } from "./flash";

/** A form's overall error: announced at once (role="alert"), and focusable so a form can move focus to it. */
export function FormAlert({ message }: { message: string | null | undefined }) {
  if (!message) return null;
  return (
    <p role="alert" className="alert alert-error" tabIndex={-1}>
      {message}
    </p>
  );
}

/** A polite status line (saved, signed out, …). */
export function Notice({ message, tone = "info" }: { message: string | null | undefined; tone?: Tone | undefined }) {
  if (!message) return null;
  return (
    <p role="status" className={`alert alert-${tone}`}>
      {message}
    </p>
  );
}
