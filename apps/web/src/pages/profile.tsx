import { useQuery } from "@tanstack/react-query";
import { useState } from "react";

import type { RouterOutputs } from "@voiceassist/client";
import { FormAlert, formErrors, Page, useSession, useTRPC } from "@voiceassist/ui";

import { useFlash } from "../flash";
import { SecurityCard } from "../security/security-card";
import { EmailSection } from "./email-section";
import { PasswordForm } from "./password-form";
import { ProfileForm } from "./profile-form";

export type User = RouterOutputs["users"]["me"];

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

export function ProfilePage() {
  const trpc = useTRPC();
  const session = useSession();
  const { setFlash } = useFlash();
  const me = useQuery(trpc.users.me.queryOptions());
  const [signingOut, setSigningOut] = useState(false);

  async function signOut(allSessions: boolean) {
    setSigningOut(true);
    setFlash({ tone: "info", message: allSessions ? "You have been signed out on all devices." : "You have been signed out." });
    // The pair is forgotten even if the server cannot be reached; the guard then shows sign-in.
    await session.signOut({ allSessions }).catch(() => undefined);
  }

  const user = me.data;
  return (
    <Page title="Your profile">
      {me.isPending ? <p>Loading your profile…</p> : null}
      <FormAlert message={formErrors(me.error).message} />
      {user ? (
        <>
          <dl className="summary">
            <dt>Name</dt>
            <dd>{user.fullName ?? "Not set"}</dd>
            <dt>Email</dt>
            <dd>{user.email}</dd>
            <dt>Member since</dt>
            <dd>{dateTime.format(user.createdAt)}</dd>
            <dt>Last sign-in</dt>
            <dd>{user.lastLogin ? dateTime.format(user.lastLogin) : "—"}</dd>
          </dl>
          <ProfileForm user={user} />
          <EmailSection user={user} />
          <PasswordForm />
          <SecurityCard mfaEnabled={user.mfaEnabled} />
          <section aria-labelledby="sign-out-title" className="card">
            <h2 id="sign-out-title">Sign out</h2>
            <div className="actions">
              <button type="button" onClick={() => void signOut(false)} disabled={signingOut}>
                Sign out
              </button>
              <button type="button" className="secondary" onClick={() => void signOut(true)} disabled={signingOut}>
                Sign out everywhere
              </button>
            </div>
          </section>
        </>
      ) : null}
    </Page>
  );
}
