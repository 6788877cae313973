import { createLocalStorageTokenStore, createSessionClient } from "@voiceassist/client";

const apiUrl = import.meta.env.VITE_API_URL || "http://localhost:8000/trpc";

/** The panel's one session; its own storage key, apart from the web app's. */
export function createAppSession() {
  return createSessionClient({
    url: apiUrl,
    store: createLocalStorageTokenStore({ key: "voiceassist.admin.tokens" }),
  });
}

/**
 * The web app, where people set up their own second factors (an admin too):
 * passkeys are bound to its origin, so the panel links there rather than
 * enrolling itself.
 */
const webUrl = (import.meta.env.VITE_WEB_URL || "http://localhost:3000").replace(/\/+$/, "");
export const securityPageUrl = `${webUrl}/security`;

/**
 * The OpenID issuer relying parties are configured with. The panel cannot ask
 * the server (no procedure answers it), so it is built in: VITE_OIDC_ISSUER
 * when the server's OIDC_ISSUER is not the default `<API origin>/oidc`.
 */
export const oidcIssuer = (import.meta.env.VITE_OIDC_ISSUER || `${new URL(apiUrl).origin}/oidc`).replace(/\/+$/, "");
export const oidcDiscoveryUrl = `${oidcIssuer}/.well-known/openid-configuration`;

export const NOT_ADMIN_MESSAGE = "This account does not have admin access. Sign in with an administrator account.";
