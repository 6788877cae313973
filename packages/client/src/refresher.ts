import { errorCode } from "./errors";
import type { StoredTokens, TokenStore } from "./token-store";

export interface RefresherOptions {
  store: TokenStore;
  /** Spends the refresh token; must not go through the auth link (it would recurse). */
  refresh(refreshToken: string): Promise<StoredTokens>;
  /** The refresh token was refused: the store has been cleared and the user must sign in again. */
  onExpired(): void;
}

export interface Refresher {
  /**
   * Makes sure the store holds a pair newer than `staleAccessToken`.
   * Resolves true when the caller should retry with the stored token.
   */
  renew(staleAccessToken: string): Promise<boolean>;
}

/** Codes meaning "this refresh token is dead"; anything else (network, 429) keeps the pair for later. */
const DEAD_SESSION = new Set(["UNAUTHORIZED", "BAD_REQUEST"]);

/**
 * Single-flight refresh: however many calls fail together, one auth.refresh
 * runs and the rest wait for it. A second use of a refresh token revokes the
 * whole session server-side, so this is correctness, not just economy.
 */
export function createRefresher(options: RefresherOptions): Refresher {
  const { store } = options;
  let inFlight: Promise<boolean> | null = null;

  // Someone (this tab's earlier refresh, or another tab) already rotated the pair.
  const alreadyRenewed = (stale: string) => {
    const current = store.get();
    return current !== null && current.accessToken !== stale;
  };

  async function run(stale: string): Promise<boolean> {
    return store.withLock(async () => {
      if (alreadyRenewed(stale)) return true;
      const current = store.get();
      if (!current) return false;
      try {
        store.set(await options.refresh(current.refreshToken));
        return true;
      } catch (error) {
        const code = errorCode(error);
        // Only give up on the session when the server refused this very pair.
        if (code && DEAD_SESSION.has(code) && store.get()?.refreshToken === current.refreshToken) {
          store.clear();
          options.onExpired();
        }
        return false;
      }
    });
  }

  return {
    renew(stale) {
      if (inFlight) return inFlight;
      if (alreadyRenewed(stale)) return Promise.resolve(true);
      inFlight = run(stale).finally(() => {
        inFlight = null;
      });
      return inFlight;
    },
  };
}
