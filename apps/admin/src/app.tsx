import { useEffect, useState, useSyncExternalStore } from "react";

import { session } from "./api";
import type { Flash } from "./flash";
import { AdminShell } from "./admin-shell";
import { SignInPage } from "./pages/sign-in";
import { navigate, useRoute } from "./ui/router";

const isSignedIn = () => session.store.get() !== null;

export function App() {
  const route = useRoute();
  const signedIn = useSyncExternalStore(session.store.subscribe, isSignedIn);
  const [flash, setFlash] = useState<Flash | null>(null);

  // The client clears the tokens itself when a refresh is refused; we only explain why.
  useEffect(
    () => session.onSessionExpired(() => setFlash({ tone: "warning", message: "Your session has ended. Please sign in again." })),
    [],
  );
  useEffect(() => {
    if (signedIn) setFlash(null);
  }, [signedIn]);

  // The address bar follows the session: signed out → sign-in; signed in → away from it.
  useEffect(() => {
    if (!signedIn && route.path !== "/sign-in") navigate("/sign-in", { replace: true });
    if (signedIn && (route.path === "/sign-in" || route.path === "/")) navigate("/users", { replace: true });
  }, [signedIn, route.path]);

  return (
    <>
      <header className="topbar">
        <span className="brand">VoiceAssist Admin</span>
      </header>
      {signedIn ? (
        <AdminShell route={route} onRefused={setFlash} />
      ) : (
        <main className="narrow">
          <SignInPage flash={flash} onRefused={setFlash} />
        </main>
      )}
    </>
  );
}
