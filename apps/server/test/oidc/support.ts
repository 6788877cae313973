import { randomBytes } from "node:crypto";

import * as oidc from "openid-client";

import { freePort } from "@voiceassist/testing/ports";
import { startTestServer, type TestServer } from "@voiceassist/testing/server";
import { type signIn, signUpAdmin } from "@voiceassist/testing/users";

export const WEB_URL = "http://web.test";
export const REDIRECT_URI = "http://rp.test/callback";
export const POST_LOGOUT_URI = "http://rp.test/signed-out";

/** A test server whose issuer is its own address (the port is chosen first, so the issuer is known at start). */
export async function startOidcServer(env: Record<string, string> = {}, options: { database?: TestServer["database"] } = {}) {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}/oidc`;
  const server = await startTestServer({
    port,
    database: options.database,
    env: { OIDC_ISSUER: issuer, WEB_URL, DATA_ENCRYPTION_KEY: randomBytes(32).toString("base64"), ...env },
  });
  return { server, issuer };
}

/** Registers a client through the admin procedures; answers its id and the secret shown once. */
export async function registerClient(server: TestServer, input: { backchannelLogoutUri?: string } = {}) {
  const admin = await signUpAdmin(server);
  const created = await admin.client.oidc.clients.create.mutate({
    name: "Test RP",
    redirectUris: [REDIRECT_URI],
    postLogoutRedirectUris: [POST_LOGOUT_URI],
    ...input,
  });
  return { admin, clientId: created.clientId, clientSecret: created.clientSecret };
}

/** openid-client's configuration from discovery (plain http is allowed: the test issuer is on loopback). */
export async function discover(issuer: string, clientId: string, clientSecret: string) {
  return oidc.discovery(new URL(issuer), clientId, clientSecret, undefined, { execute: [oidc.allowInsecureRequests] });
}

interface Cookie {
  value: string;
  path: string;
}

/**
 * What a browser does here: keeps cookies per host (by name and path, sending
 * those whose path is a prefix of the request's) and follows redirects one
 * at a time, so a test sees where each step lands.
 */
export class Browser {
  private readonly jar = new Map<string, Map<string, Cookie>>();

  async get(url: string): Promise<Response> {
    return this.request(url, { method: "GET" });
  }

  async post(url: string, form: Record<string, string>): Promise<Response> {
    return this.request(url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(form).toString(),
    });
  }

  /** Follows redirects from `url` until one leaves the server (or a page is answered); returns the last URL and response. */
  async navigate(url: string, serverOrigin: string, first?: Response): Promise<{ url: string; response: Response }> {
    let current = url;
    let response = first ?? (await this.get(url));
    for (let hops = 0; hops < 20; hops++) {
      const location = response.headers.get("location");
      if (!location || response.status < 300 || response.status >= 400) return { url: current, response };
      current = new URL(location, current).toString();
      if (new URL(current).origin !== serverOrigin) return { url: current, response };
      response = await this.get(current);
    }
    throw new Error("too many redirects");
  }

  private async request(url: string, init: RequestInit): Promise<Response> {
    const target = new URL(url);
    const cookies = [...(this.jar.get(target.host)?.entries() ?? [])]
      .filter(([, cookie]) => target.pathname.startsWith(cookie.path))
      .map(([key, cookie]) => `${key.split("|")[0]}=${cookie.value}`);
    const response = await fetch(url, {
      ...init,
      redirect: "manual",
      headers: { ...(init.headers as Record<string, string>), ...(cookies.length ? { cookie: cookies.join("; ") } : {}) },
    });
    for (const line of response.headers.getSetCookie()) this.store(target, line);
    return response;
  }

  private store(target: URL, line: string) {
    const [pair = "", ...attributes] = line.split(";").map((part) => part.trim());
    const name = pair.slice(0, pair.indexOf("="));
    const value = pair.slice(pair.indexOf("=") + 1);
    const path = attributes.find((a) => a.toLowerCase().startsWith("path="))?.slice(5) ?? "/";
    const expired = attributes.some((a) => /^expires=/i.test(a) && new Date(a.slice(8)).getTime() < Date.now());
    const host = this.jar.get(target.host) ?? new Map<string, Cookie>();
    this.jar.set(target.host, host);
    if (expired || value === "") host.delete(`${name}|${path}`);
    else host.set(`${name}|${path}`, { value, path });
  }
}

export interface FlowStart {
  browser: Browser;
  verifier: string;
  state: string;
  nonce: string;
  uid: string;
  authorizationUrl: URL;
}

/** The relying party sends a browser to the provider; answers the interaction uid the web app's page gets. */
export async function startFlow(
  config: oidc.Configuration,
  serverOrigin: string,
  params: Record<string, string> = {},
  browser = new Browser(),
): Promise<FlowStart> {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const authorizationUrl = oidc.buildAuthorizationUrl(config, {
    redirect_uri: REDIRECT_URI,
    scope: "openid email profile groups",
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
    state,
    nonce,
    ...params,
  });
  const { url } = await browser.navigate(authorizationUrl.toString(), serverOrigin);
  const landed = new URL(url);
  if (landed.origin !== WEB_URL || landed.pathname !== "/oidc/login")
    throw new Error(`expected the web app's sign-in page, got ${landed.origin}${landed.pathname}`);
  return { browser, verifier, state, nonce, uid: landed.searchParams.get("uid") ?? "", authorizationUrl };
}

/** The web app completes the interaction for `user` and the browser follows; answers the URL it lands on at the RP. */
export async function completeFlow(flow: FlowStart, user: Awaited<ReturnType<typeof signIn>>, serverOrigin: string): Promise<string> {
  const { redirectTo } = await user.client.oidc.interaction.complete.mutate({ uid: flow.uid });
  const { url } = await flow.browser.navigate(redirectTo, serverOrigin);
  return url;
}

/** Exchanges the code the browser brought back, as the relying party does. */
export async function redeem(config: oidc.Configuration, callbackUrl: string, flow: FlowStart) {
  return oidc.authorizationCodeGrant(config, new URL(callbackUrl), {
    pkceCodeVerifier: flow.verifier,
    expectedState: flow.state,
    expectedNonce: flow.nonce,
    idTokenExpected: true,
  });
}
