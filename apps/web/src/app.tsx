import { useEffect, useState } from "react";

import { AppName, navigate, useRoute, useSignedIn } from "@voiceassist/ui";

import { session } from "./api";
import type { Flash } from "./flash";
import { ProfilePage } from "./pages/profile";
import { SignInPage } from "./pages/sign-in";
import { SignUpPage } from "./pages/sign-up";

const APP_NAME = "VoiceAssist";

export function App() {
  const route = useRoute();
  const [flash, setFlash] = useState<Flash | null>(null);
  const signedIn = useSignedIn(session, setFlash);

  // What is shown follows the session; the address bar follows what is shown.
  const path = signedIn ? "/profile" : route.path === "/sign-up" ? "/sign-up" : "/sign-in";
  useEffect(() => navigate(path, { replace: true }), [path]);

  return (
    <AppName value={APP_NAME}>
      <header className="topbar">
        <span className="brand">{APP_NAME}</span>
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
    </AppName>
  );
}
