import { Link, useLocation } from "@tanstack/react-router";
import { useState } from "react";

import { errorReason } from "@voiceassist/client";
import { formErrors } from "@voiceassist/ui";

/**
 * The token of a mailed link. It rides in the URL fragment (`#token=…`), which the browser never
 * sends to a server, so it reaches no access log; read once, when the page opens.
 */
export function useLinkToken(): string | null {
  const hash = useLocation({ select: (location) => location.hash });
  const [token] = useState(() => new URLSearchParams(hash.replace(/^#/, "")).get("token"));
  return token || null;
}

/** A form's errors for a call that spends a link's token: a refused token says what to do next. */
export function linkFormErrors(error: unknown, next: string) {
  const errors = formErrors(error);
  if (errorReason(error) === "INVALID_TOKEN") {
    return { ...errors, message: `This link is invalid, has expired or was already used. ${next}` };
  }
  return errors;
}

/** Shown instead of a form when the page was opened without a token. */
export function MissingToken({ what }: { what: string }) {
  return (
    <>
      <p role="alert" className="alert alert-error">
        This link is incomplete. Open the {what} link from your mail again, or copy the whole address into the browser.
      </p>
      <p>
        <Link to="/sign-in">Back to sign in</Link>
      </p>
    </>
  );
}
