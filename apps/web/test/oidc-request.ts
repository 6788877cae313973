import { createHash, randomBytes } from "node:crypto";

import { inject } from "vitest";

import { OIDC_REDIRECT_URI } from "./live-api-context";

const base64url = (bytes: Buffer) => bytes.toString("base64url");

/**
 * What a browser does when the registered application sends it to sign in: the authorization
 * request (code + PKCE) to the real provider, following its redirects and keeping its cookies,
 * up to the web app's page. Answers the page's path and `finish(redirectTo)`, which follows the
 * URL the page navigates to, with the same cookies, back to the application.
 */
export async function startSignInRequest(params: Record<string, string> = {}) {
  const { issuer, clientId } = inject("liveApi").oidc;
  const cookies = new Map<string, string>();
  const verifier = base64url(randomBytes(32));
  const url = new URL(`${issuer}/auth`);
  const query = {
    client_id: clientId,
    redirect_uri: OIDC_REDIRECT_URI,
    response_type: "code",
    scope: "openid email",
    state: base64url(randomBytes(12)),
    code_challenge: base64url(createHash("sha256").update(verifier).digest()),
    code_challenge_method: "S256",
    ...params,
  };
  for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);

  /** Follows redirects while they stay on the provider; answers where the browser leaves it. */
  async function follow(start: string): Promise<URL> {
    let current = new URL(start);
    for (let hop = 0; hop < 10; hop++) {
      if (!current.href.startsWith(issuer)) return current;
      const cookie = [...cookies].map(([name, value]) => `${name}=${value}`).join("; ");
      const response = await fetch(current, { redirect: "manual", headers: cookie ? { cookie } : {} });
      for (const line of response.headers.getSetCookie()) {
        const [pair = ""] = line.split(";");
        const at = pair.indexOf("=");
        cookies.set(pair.slice(0, at), pair.slice(at + 1));
      }
      const location = response.headers.get("location");
      if (!location) throw new Error(`the provider answered ${response.status} without a redirect`);
      current = new URL(location, current);
    }
    throw new Error("too many redirects");
  }

  const page = await follow(url.toString());
  const uid = page.searchParams.get("uid") ?? "";
  return { uid, path: `${page.pathname}${page.search}`, state: query.state, issuer, finish: follow };
}
