import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

import { createRemoteJWKSet, jwtVerify, type JWTPayload } from "jose";
import * as oidc from "openid-client";

/** The event a back-channel logout token must carry (OpenID Connect Back-Channel Logout 1.0 §2.4). */
export const BACKCHANNEL_LOGOUT_EVENT = "http://schemas.openid.net/event/backchannel-logout";

export interface SignedIn {
  email: string;
  claims: oidc.IDToken;
}

export interface LogoutDelivery {
  /** The verified token's claims, or why it failed verification. */
  claims: JWTPayload | null;
  error: string | null;
}

/**
 * A tiny clinic application that signs people in with VoiceAssist, as a real one
 * would with openid-client: `/login` starts the code flow with PKCE, `/callback`
 * exchanges the code and shows who signed in, `/backchannel` takes logout
 * tokens and checks their signature against the provider's JWKS.
 */
export async function startRelyingParty() {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const pending = new Map<string, { verifier: string; nonce: string }>();
  const signIns: SignedIn[] = [];
  const logouts: LogoutDelivery[] = [];
  let config: oidc.Configuration | null = null;
  let verifyLogout: ((token: string) => Promise<JWTPayload>) | null = null;

  /** `/login?prompt=login` passes the prompt on, as an application wanting a fresh sign-in does. */
  async function login(request: IncomingMessage, response: ServerResponse) {
    if (!config) throw new Error("the relying party is not connected yet");
    const prompt = new URL(request.url ?? "/", origin).searchParams.get("prompt");
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    pending.set(state, { verifier, nonce });
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: `${origin}/callback`,
      scope: "openid email profile",
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: "S256",
      state,
      nonce,
      ...(prompt ? { prompt } : {}),
    });
    response.writeHead(302, { location: url.toString() }).end();
  }

  async function callback(request: IncomingMessage, response: ServerResponse) {
    if (!config) throw new Error("the relying party is not connected yet");
    const current = new URL(request.url ?? "/", origin);
    const state = current.searchParams.get("state") ?? "";
    const flow = pending.get(state);
    if (!flow) return page(response, 400, "Unknown sign-in");
    pending.delete(state);
    const tokens = await oidc.authorizationCodeGrant(config, current, {
      pkceCodeVerifier: flow.verifier,
      expectedState: state,
      expectedNonce: flow.nonce,
      idTokenExpected: true,
    });
    const claims = tokens.claims();
    if (!claims) throw new Error("no ID token");
    const info = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
    const email = String(info.email);
    signIns.push({ email, claims });
    page(response, 200, `Signed in as ${escapeHtml(email)}`);
  }

  async function backchannel(request: IncomingMessage, response: ServerResponse) {
    const form = new URLSearchParams(await body(request));
    const token = form.get("logout_token") ?? "";
    try {
      logouts.push({ claims: await (verifyLogout as (token: string) => Promise<JWTPayload>)(token), error: null });
    } catch (error) {
      logouts.push({ claims: null, error: (error as Error).message });
    }
    response.writeHead(200, { "cache-control": "no-store" }).end();
  }

  server.on("request", (request, response) => {
    const path = new URL(request.url ?? "/", origin).pathname;
    const handle =
      path === "/login"
        ? login(request, response)
        : path === "/callback"
          ? callback(request, response)
          : path === "/backchannel" && request.method === "POST"
            ? backchannel(request, response)
            : Promise.resolve(page(response, 200, '<a href="/login">Sign in with VoiceAssist</a>'));
    handle.catch((error: Error) => page(response, 500, `Failed: ${error.message}`));
  });

  return {
    origin,
    redirectUri: `${origin}/callback`,
    backchannelLogoutUri: `${origin}/backchannel`,
    signIns,
    logouts,
    /** Discovery, with the id and secret the provider's admin gave this application. */
    async connect(issuer: string, clientId: string, clientSecret: string) {
      config = await oidc.discovery(new URL(issuer), clientId, clientSecret, undefined, { execute: [oidc.allowInsecureRequests] });
      const metadata = config.serverMetadata();
      const jwks = createRemoteJWKSet(new URL(metadata.jwks_uri ?? ""));
      // What §2.6 asks of the receiver: signature, issuer, audience; events and the absence of a nonce are checked by the test.
      verifyLogout = async (token) => (await jwtVerify(token, jwks, { issuer: metadata.issuer, audience: clientId })).payload;
    },
    close: () => closeServer(server),
  };
}

const escapeHtml = (value: string) => value.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

function page(response: ServerResponse, status: number, html: string) {
  response
    .writeHead(status, { "content-type": "text/html; charset=utf-8" })
    .end(`<!doctype html><html lang="en"><head><title>Clinic app</title></head><body><main>${html}</main></body></html>`);
}

async function body(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
