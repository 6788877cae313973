import { useEffect, useRef, useSyncExternalStore } from "react";

import type { SessionClient } from "@voiceassist/client";

import type { Flash } from "./flash";

const SESSION_ENDED: Flash = { tone: "warning", message: "Your session has ended. Please sign in again." };

/** Whether `session` holds tokens, re-rendering when that changes (also from another tab). */
export function useHasSession(session: SessionClient): boolean {
  return useSyncExternalStore(session.store.subscribe, () => session.store.get() !== null);
}

/**
 * Whether `session` holds tokens. The client clears them itself when a refresh
 * is refused; `onFlash` only explains why, and is cleared again on sign-in.
 */
export function useSignedIn(session: SessionClient, onFlash: (flash: Flash | null) => void): boolean {
  const signedIn = useHasSession(session);
  const wasSignedIn = useRef(signedIn);
  useEffect(() => session.onSessionExpired(() => onFlash(SESSION_ENDED)), [session, onFlash]);
  // Only on signing in: at mount a child may already have set a flash (effects run children first).
  useEffect(() => {
    if (signedIn && !wasSignedIn.current) onFlash(null);
    wasSignedIn.current = signedIn;
  }, [signedIn, onFlash]);
  return signedIn;
}
