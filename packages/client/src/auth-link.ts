import type { TRPCLink } from "@trpc/client";
import { observable, type Unsubscribable } from "@trpc/server/observable";

import type { AppRouter } from "@voiceassist/api";

import { errorCode } from "./errors";
import type { Refresher } from "./refresher";
import type { TokenStore } from "./token-store";

/** Public procedures answer UNAUTHORIZED for bad credentials; refreshing would not help them. */
const NO_RETRY = new Set(["auth.login", "auth.register", "auth.refresh"]);

/**
 * On UNAUTHORIZED for a call that carried an access token, renews the pair
 * (single-flight, see refresher.ts) and retries the call once.
 */
export function authLink(store: TokenStore, refresher: Refresher): TRPCLink<AppRouter> {
  return () =>
    ({ op, next }) =>
      observable((observer) => {
        let subscription: Unsubscribable | undefined;
        let closed = false;

        const attempt = (isRetry: boolean) => {
          const sentWith = store.get()?.accessToken ?? null;
          subscription = next(op).subscribe({
            next: (result) => observer.next(result),
            complete: () => observer.complete(),
            error: (error) => {
              const renewable = !isRetry && sentWith !== null && errorCode(error) === "UNAUTHORIZED" && !NO_RETRY.has(op.path);
              if (!renewable) return observer.error(error);
              // The caller may have given up (unsubscribed) while the refresh ran.
              const settle = (renewed: boolean) => {
                if (closed) return;
                if (renewed) attempt(true);
                else observer.error(error);
              };
              refresher.renew(sentWith).then(settle, () => settle(false));
            },
          });
        };

        attempt(false);
        return () => {
          closed = true;
          subscription?.unsubscribe();
        };
      });
}
