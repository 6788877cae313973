import { useState } from "react";

import type { RouterOutputs } from "@voiceassist/client";
import { FormAlert, Page, useQuery } from "@voiceassist/ui";
import type { Flash } from "@voiceassist/ui";

import { api, session } from "../api";
import { PasswordForm } from "./password-form";
import { ProfileForm } from "./profile-form";

export type User = RouterOutputs["users"]["me"];

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

export function ProfilePage({ onSignedOut }: { onSignedOut: (flash: Flash) => void }) {
  const me = useQuery(() => api.users.me.query(), "me");
  const [signingOut, setSigningOut] = useState(false);

  async function signOut(allSessions: boolean) {
    setSigningOut(true);
    onSignedOut({ tone: "info", message: allSessions ? "You have been signed out on all devices." : "You have been signed out." });
    // The pair is forgotten even if the server cannot be reached; the app then shows sign-in.
    await session.signOut({ allSessions }).catch(() => undefined);
  }

  const user = me.data;
  return (
    <Page title="Your profile">
      {me.loading && !user ? <p>Loading your profile…</p> : null}
      <FormAlert message={me.error} />
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
          <ProfileForm user={user} onSaved={me.setData} />
          <PasswordForm />
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
