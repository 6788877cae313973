import type { Tone } from "./flash";

/** A form's overall error: announced at once (role="alert"). */
export function FormAlert({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <p role="alert" className="alert alert-error">
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
