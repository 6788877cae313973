import { useEffect, useState } from "react";

import { AppName, navigate, useRoute, useSignedIn } from "@voiceassist/ui";
import type { Flash } from "@voiceassist/ui";

import { session } from "./api";
import { AdminShell } from "./admin-shell";
import { SignInPage } from "./pages/sign-in";

const APP_NAME = "VoiceAssist Admin";

export function App() {
  const route = useRoute();
  const [flash, setFlash] = useState<Flash | null>(null);
  const signedIn = useSignedIn(session, setFlash);

  // The address bar follows the session: signed out → sign-in; signed in → away from it.
  useEffect(() => {
    if (!signedIn && route.path !== "/sign-in") navigate("/sign-in", { replace: true });
    if (signedIn && (route.path === "/sign-in" || route.path === "/")) navigate("/users", { replace: true });
  }, [signedIn, route.path]);

  return (
    <AppName value={APP_NAME}>
      <header className="topbar">
        <span className="brand">{APP_NAME}</span>
      </header>
      {signedIn ? (
        <AdminShell route={route} onRefused={setFlash} />
      ) : (
        <main className="narrow">
          <SignInPage flash={flash} onRefused={setFlash} />
        </main>
      )}
    </AppName>
  );
}
