import type { Tone } from "./flash";

/**
 * A form's error summary: announced at once (role="alert"), focusable so a
 * form can move focus to it, and, given the field errors, a link to each
 * field (by its name in the enclosing form).
 */
export function FormAlert({ message, fields }: { message: string | null | undefined; fields?: Record<string, string[]> }) {
  if (!message) return null;
  const entries = Object.entries(fields ?? {});
  return (
    <div role="alert" className="alert alert-error" tabIndex={-1}>
      <p>{message}</p>
      {entries.length ? (
        <ul className="error-links">
          {entries.map(([name, errors]) => (
            <li key={name}>
              <a
                href={`#${name}`}
                onClick={(event) => {
                  event.preventDefault();
                  const field = event.currentTarget.closest("form")?.elements.namedItem(name);
                  if (field instanceof HTMLElement) field.focus();
                }}
              >
                {errors.join(" ")}
              </a>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
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
