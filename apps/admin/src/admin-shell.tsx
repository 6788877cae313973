import { useQuery } from "@tanstack/react-query";
import { Link, Outlet } from "@tanstack/react-router";
import { useEffect } from "react";

import { FormAlert, formErrors, useSession, useTRPC } from "@voiceassist/ui";

import { NOT_ADMIN_MESSAGE } from "./api";
import { useFlash } from "./flash";
import { MfaRequiredPage, useMfaRequired } from "./mfa-required";

/**
 * Everything behind sign-in. A stored session is re-checked on load: an
 * account demoted since it signed in is turned away like a non-admin.
 */
export function AdminShell() {
  const trpc = useTRPC();
  const session = useSession();
  const { setFlash } = useFlash();
  const me = useQuery(trpc.auth.me.queryOptions());
  const refused = me.data !== undefined && !me.data.isAdmin;
  const mfaRequired = useMfaRequired();

  useEffect(() => {
    if (!refused) return;
    setFlash({ tone: "error", message: NOT_ADMIN_MESSAGE });
    void session.signOut().catch(() => undefined);
  }, [refused, session, setFlash]);

  const signOut = () => {
    setFlash({ tone: "info", message: "You have been signed out." });
    void session.signOut().catch(() => undefined);
  };

  if (!me.data?.isAdmin) {
    return <main>{me.error ? <FormAlert message={formErrors(me.error).message} /> : <p role="status">Checking your access…</p>}</main>;
  }
  if (mfaRequired) {
    const signInAgain = () => {
      setFlash({ tone: "info", message: "Sign in with your password, then your second factor." });
      void session.signOut().catch(() => undefined);
    };
    return (
      <>
        <nav className="subnav" aria-label="Admin sections">
          <span className="whoami">Signed in as {me.data.email}</span>
          <button type="button" className="secondary" onClick={signOut}>
            Sign out
          </button>
        </nav>
        <main>
          <MfaRequiredPage email={me.data.email} onSignInAgain={signInAgain} />
        </main>
      </>
    );
  }
  return (
    <>
      <nav className="subnav" aria-label="Admin sections">
        {/* Link marks the current section with aria-current="page" (fuzzy: /users/… counts as Users). */}
        <Link to="/users">Users</Link>
        <Link to="/audit">Audit log</Link>
        <Link to="/connected-apps">Connected apps</Link>
        <span className="whoami">Signed in as {me.data.email}</span>
        <button type="button" className="secondary" onClick={signOut}>
          Sign out
        </button>
      </nav>
      <main>
        <Outlet />
      </main>
    </>
  );
}
