import { useEffect, useSyncExternalStore } from "react";

import type { SessionClient } from "@voiceassist/client";

import type { Flash } from "./flash";

const SESSION_ENDED: Flash = { tone: "warning", message: "Your session has ended. Please sign in again." };

/**
 * Whether `session` holds tokens. The client clears them itself when a refresh
 * is refused; `onFlash` only explains why, and is cleared again on sign-in.
 */
export function useSignedIn(session: SessionClient, onFlash: (flash: Flash | null) => void): boolean {
  const signedIn = useSyncExternalStore(session.store.subscribe, () => session.store.get() !== null);
  useEffect(() => session.onSessionExpired(() => onFlash(SESSION_ENDED)), [session, onFlash]);
  useEffect(() => {
    if (signedIn) onFlash(null);
  }, [signedIn, onFlash]);
  return signedIn;
}
