import type { MfaChallenge, RouterInputs, TokenPair } from "@voiceassist/api";

import { authLink } from "./auth-link";
import { createClient, type ClientOptions } from "./client";
import { createRefresher } from "./refresher";
import { createMemoryTokenStore, type TokenStore } from "./token-store";

export interface SessionClientOptions extends Pick<ClientOptions, "url" | "headers" | "fetch"> {
  /** Where the token pair lives; memory by default, `createLocalStorageTokenStore()` in browsers. */
  store?: TokenStore;
  /** Called once when the session is over (refresh refused): send the user to sign-in. */
  onSessionExpired?: () => void;
}

type LoginInput = RouterInputs["auth"]["login"];
type SecondFactorInput = RouterInputs["auth"]["mfa"]["verify"];
type PasskeyLoginInput = RouterInputs["auth"]["passkey"]["login"];

/** auth.login's answer for an account with a second factor: finish with `verifySecondFactor`. */
export const isMfaChallenge = (result: TokenPair | MfaChallenge): result is MfaChallenge => "mfaRequired" in result && result.mfaRequired;

export interface SignInOptions {
  /** Decides whether this account may use the app; false → the session is revoked and not kept. */
  allow?: (pair: TokenPair) => boolean;
}

/**
 * A typed client that keeps the token pair, sends the bearer token, and on
 * UNAUTHORIZED refreshes once (single-flight) and retries. What both apps use.
 */
export function createSessionClient(options: SessionClientOptions) {
  const store = options.store ?? createMemoryTokenStore();
  const expiredListeners = new Set<() => void>();
  if (options.onSessionExpired) expiredListeners.add(options.onSessionExpired);

  // A plain client for auth.refresh: it must bypass the auth link, or a refused refresh would try to refresh.
  const plainOptions = { url: options.url, headers: options.headers, fetch: options.fetch };
  const plain = createClient(plainOptions);
  const refresher = createRefresher({
    store,
    refresh: (refreshToken) => plain.auth.refresh.mutate({ refreshToken }),
    onExpired: () => {
      for (const listener of expiredListeners) listener();
    },
  });
  const client = createClient({
    url: options.url,
    headers: options.headers,
    fetch: options.fetch,
    getAccessToken: () => store.get()?.accessToken,
    links: [authLink(store, refresher)],
  });

  /**
   * Logs in and keeps the returned pair (which also carries `user`). When
   * `allow` turns the account away (e.g. a non-admin in the admin panel),
   * the new session is revoked at once, nothing is kept, and null is returned.
   * An account with a second factor gets an MfaChallenge back (nothing kept
   * yet): pass it on to `verifySecondFactor`.
   */
  function signIn(input: LoginInput): Promise<TokenPair | MfaChallenge>;
  function signIn(input: LoginInput, options: SignInOptions): Promise<TokenPair | MfaChallenge | null>;
  async function signIn(input: LoginInput, signInOptions: SignInOptions = {}): Promise<TokenPair | MfaChallenge | null> {
    const result = await client.auth.login.mutate(input);
    return isMfaChallenge(result) ? result : keep(result, signInOptions);
  }

  /** The second sign-in step (TOTP code, backup code or passkey answer); keeps the pair as signIn does. */
  async function verifySecondFactor(input: SecondFactorInput, signInOptions: SignInOptions = {}): Promise<TokenPair | null> {
    return keep(await client.auth.mfa.verify.mutate(input), signInOptions);
  }

  /** A passwordless sign-in with a passkey's answer to auth.passkey.options; keeps the pair as signIn does. */
  async function signInWithPasskey(input: PasskeyLoginInput, signInOptions: SignInOptions = {}): Promise<TokenPair | null> {
    return keep(await client.auth.passkey.login.mutate(input), signInOptions);
  }

  async function keep(pair: TokenPair, signInOptions: SignInOptions): Promise<TokenPair | null> {
    if (signInOptions.allow && !signInOptions.allow(pair)) {
      const refused = createClient({ ...plainOptions, getAccessToken: () => pair.accessToken });
      await refused.auth.logout.mutate().catch(() => undefined);
      return null;
    }
    store.set(pair);
    return pair;
  }

  return {
    client,
    store,
    signIn,
    verifySecondFactor,
    signInWithPasskey,
    /** Revokes this session (or all of them) server-side, then forgets the pair whatever happened. */
    async signOut(input: { allSessions?: boolean } = {}): Promise<void> {
      try {
        if (store.get()) await client.auth.logout.mutate(input);
      } finally {
        store.clear();
      }
    },
    /** Subscribes to "the session is over"; returns the unsubscribe function. */
    onSessionExpired(listener: () => void): () => void {
      expiredListeners.add(listener);
      return () => expiredListeners.delete(listener);
    },
  };
}

export type SessionClient = ReturnType<typeof createSessionClient>;
