import { useQuery, useQueryClient, type QueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";

import { errorReason } from "@voiceassist/client";
import { Page, useTRPC } from "@voiceassist/ui";

import { securityPageUrl } from "./api";

const isMfaRequired = (error: unknown) => Boolean(error) && errorReason(error) === "MFA_REQUIRED";

function seenMfaRequired(queryClient: QueryClient): boolean {
  return (
    queryClient
      .getQueryCache()
      .getAll()
      .some((query) => isMfaRequired(query.state.error)) ||
    queryClient
      .getMutationCache()
      .getAll()
      .some((mutation) => isMfaRequired(mutation.state.error))
  );
}

/**
 * Whether the server refused an admin call with MFA_REQUIRED (MFA_REQUIRED_FOR_ADMINS,
 * and this session signed in with a password alone). Every admin page makes
 * such a call first, so the shell learns it from the page's own query, and
 * also if the policy is switched on while the panel is open. The cache is
 * emptied on sign-out, so a new session starts from a clean slate.
 */
export function useMfaRequired(): boolean {
  const queryClient = useQueryClient();
  const [required, setRequired] = useState(() => seenMfaRequired(queryClient));
  useEffect(() => {
    if (required) return;
    // Only "updated": results arrive outside any render, so the shell may re-render at once.
    const check = (event: { type: string }) => {
      if (event.type === "updated" && seenMfaRequired(queryClient)) setRequired(true);
    };
    if (seenMfaRequired(queryClient)) setRequired(true);
    const stopQueries = queryClient.getQueryCache().subscribe(check);
    const stopMutations = queryClient.getMutationCache().subscribe(check);
    return () => {
      stopQueries();
      stopMutations();
    };
  }, [queryClient, required]);
  return required;
}

/**
 * What an admin signed in with a password alone sees instead of a page: why,
 * where to set up a factor (the web app's Security page, where passkeys are
 * bound to its origin), and a way back to sign-in to use it.
 */
export function MfaRequiredPage({ email, onSignInAgain }: { email: string; onSignInAgain: () => void }) {
  const trpc = useTRPC();
  // Open to a password-only session: it tells whether a factor was set up meanwhile.
  const status = useQuery(trpc.mfa.status.queryOptions());
  const enrolled = status.data ? status.data.totp || status.data.passkeys.length > 0 : false;

  return (
    <Page title="Your clinic requires a second factor for administrators">
      <p>
        You signed in as <strong>{email}</strong> with your password only. To use the admin panel, an administrator must also sign in with a
        second factor: a code from an authenticator app, or a passkey.
      </p>
      {enrolled ? (
        <p className="alert alert-info">
          Your account has a second factor now. Sign in again with your password and your second factor to open the admin panel.
        </p>
      ) : (
        <ol className="steps">
          <li>
            Open your{" "}
            <a href={securityPageUrl} target="_blank" rel="noopener noreferrer">
              Security page in the VoiceAssist web app (opens in a new tab)
            </a>{" "}
            and sign in there with the same account.
          </li>
          <li>Set up an authenticator app, or add a passkey. Keep the backup codes you are shown somewhere safe.</li>
          <li>Come back here and sign in again: this time the panel asks for your second factor.</li>
        </ol>
      )}
      <div className="actions">
        <button type="button" onClick={onSignInAgain}>
          Sign in again
        </button>
      </div>
      <p className="muted">
        Locked out of your second factor later? Another administrator can reset it from your user page, or someone with access to the server
        can run <code>npm run admin:reset-mfa -- --email {email}</code>.
      </p>
    </Page>
  );
}
