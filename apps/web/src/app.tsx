import { useEffect, useState, useSyncExternalStore } from "react";

import { session } from "./api";
import { ProfilePage } from "./pages/profile";
import { SignInPage } from "./pages/sign-in";
import { SignUpPage } from "./pages/sign-up";
import type { Flash } from "./flash";
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

  // What is shown follows the session; the address bar follows what is shown.
  const path = signedIn ? "/profile" : route.path === "/sign-up" ? "/sign-up" : "/sign-in";
  useEffect(() => navigate(path, { replace: true }), [path]);

  return (
    <>
      <header className="topbar">
        <span className="brand">VoiceAssist</span>
      </header>
      <main>
        {path === "/profile" ? (
          <ProfilePage onSignedOut={setFlash} />
        ) : path === "/sign-up" ? (
          <SignUpPage onRegistered={(email) => setFlash({ tone: "success", message: "Account created. Please sign in.", email })} />
        ) : (
          <SignInPage flash={flash} />
        )}
      </main>
    </>
  );
}
