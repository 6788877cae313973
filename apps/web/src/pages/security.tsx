import { useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";

import { FormAlert, formErrors, Page, useTRPC } from "@voiceassist/ui";

import { PasskeysSection } from "../security/passkeys-section";
import { SessionsSection } from "../security/sessions-section";
import { TotpSection } from "../security/totp-section";

/** Second factors (authenticator app, backup codes, passkeys) and where the account is signed in. */
export function SecurityPage() {
  const trpc = useTRPC();
  const status = useQuery(trpc.mfa.status.queryOptions());
  const sessions = useQuery(trpc.auth.sessions.queryOptions());
  const current = sessions.data?.find((session) => session.current);

  return (
    <Page title="Security">
      <p>
        <Link to="/profile">← Back to your profile</Link>
      </p>
      {status.isPending ? <p role="status">Loading your sign-in methods…</p> : null}
      <FormAlert message={formErrors(status.error).message} />
      {status.data ? (
        <>
          <TotpSection status={status.data} />
          <PasskeysSection status={status.data} signedInWithSecondFactor={current?.mfa ?? false} />
        </>
      ) : null}
      <SessionsSection sessions={sessions.data} error={sessions.error} />
    </Page>
  );
}
