import type { SignInOptions } from "@voiceassist/client";

/**
 * Who may finish signing in to an app. `allow` turns an account away after
 * its sign-in (the session is revoked and nothing kept, see the session
 * client); `onRefused` then says why. The web app lets everyone in.
 */
export interface SignInGate extends SignInOptions {
  onRefused?: () => void;
  /** After the pair is kept: for a page that goes on by itself (the single sign-on page) rather than by a route guard. */
  onSignedIn?: () => void;
}

/** The session client's options for a gate: only `allow` goes down to it. */
export const signInOptions = (gate: SignInGate | undefined): SignInOptions => (gate?.allow ? { allow: gate.allow } : {});
