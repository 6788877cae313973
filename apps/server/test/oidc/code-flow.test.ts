import { and, eq } from "drizzle-orm";
import { createRemoteJWKSet, jwtVerify } from "jose";
import * as oidc from "openid-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { deleteExpiredOidcRecords, deleteSettledLogouts } from "@voiceassist/api";
import { auditEvents, oidcClients, oidcLogoutOutbox, oidcProviderRecords } from "@voiceassist/db";
import { startTestServer, type TestServer } from "@voiceassist/testing/server";
import { clientFrom, codeOf, signUp } from "@voiceassist/testing/users";

import {
  Browser,
  completeFlow,
  discover,
  POST_LOGOUT_URI,
  REDIRECT_URI,
  redeem,
  registerClient,
  startFlow,
  startOidcServer,
} from "./support";

/**
 * The provider driven by openid-client (an OpenID Certified relying party),
 * with the interaction completed through the web app's procedures.
 */
let server: TestServer;
let issuer: string;
let origin: string;
let clientId: string;
let clientSecret: string;
let config: oidc.Configuration;

beforeAll(async () => {
  ({ server, issuer } = await startOidcServer());
  origin = new URL(issuer).origin;
  ({ clientId, clientSecret } = await registerClient(server));
  config = await discover(issuer, clientId, clientSecret);
});
afterAll(() => server?.close());

describe("discovery", () => {
  it("publishes the issuer, code flow with S256 only, and the contract's scopes and claims", () => {
    const metadata = config.serverMetadata();
    expect(metadata.issuer).toBe(issuer);
    expect(metadata.response_types_supported).toEqual(["code"]);
    expect(metadata.code_challenge_methods_supported).toEqual(["S256"]);
    expect(metadata.scopes_supported).toEqual(expect.arrayContaining(["openid", "email", "profile", "groups", "offline_access"]));
    expect(metadata.claims_supported).toEqual(
      expect.arrayContaining(["sub", "email", "email_verified", "name", "groups", "amr", "auth_time"]),
    );
    expect(metadata.id_token_signing_alg_values_supported).toContain("RS256");
    expect(metadata.end_session_endpoint).toBe(`${issuer}/session/end`);
    expect(metadata.backchannel_logout_supported).toBe(true);
    for (const endpoint of [metadata.authorization_endpoint, metadata.token_endpoint, metadata.jwks_uri, metadata.userinfo_endpoint]) {
      expect(endpoint?.startsWith(`${issuer}/`)).toBe(true);
    }
  });
});

describe("authorization code + PKCE", () => {
  it("signs a password user in through the web app and issues tokens that verify against the JWKS", async () => {
    const user = await signUp(server, { fullName: "Dana Flow" });
    const flow = await startFlow(config, origin);

    const seen = await user.client.oidc.interaction.get.query({ uid: flow.uid });
    expect(seen.client).toEqual({ clientId, name: "Test RP" });
    expect(seen.signedIn).toBe(true);
    expect(seen.freshSignInRequired).toBe(false);

    const callback = await completeFlow(flow, user, origin);
    expect(callback.startsWith(`${REDIRECT_URI}?`)).toBe(true);
    const tokens = await redeem(config, callback, flow);

    const jwks = createRemoteJWKSet(new URL(config.serverMetadata().jwks_uri as string));
    const { payload, protectedHeader } = await jwtVerify(tokens.id_token as string, jwks, { issuer, audience: clientId });
    expect(protectedHeader.alg).toBe("RS256");
    expect(payload.sub).toBe(user.user.id);
    expect(payload.nonce).toBe(flow.nonce);
    expect(payload.amr).toEqual(["pwd"]);
    expect(payload.acr).toBe("urn:voiceassist:aal1");
    expect(typeof payload.auth_time).toBe("number");
    expect(payload.email).toBe(user.email);
    expect(payload.groups).toEqual([]);

    const info = await oidc.fetchUserInfo(config, tokens.access_token, user.user.id);
    expect(info).toMatchObject({ sub: user.user.id, email: user.email, email_verified: false, name: "Dana Flow", groups: [] });

    const [audited] = await server.deps.api.db
      .select({ detail: auditEvents.detail })
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "oidc.login"), eq(auditEvents.targetUserId, user.user.id), eq(auditEvents.outcome, "success")));
    expect(audited?.detail).toMatchObject({ clientId, amr: ["pwd"] });
  });

  it("refreshes with offline_access, and a rotated refresh token is single use", async () => {
    const user = await signUp(server);
    const flow = await startFlow(config, origin, { scope: "openid offline_access", prompt: "consent" });
    const tokens = await redeem(config, await completeFlow(flow, user, origin), flow);
    expect(tokens.refresh_token).toBeTruthy();

    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token as string);
    expect(refreshed.access_token).not.toBe(tokens.access_token);
    expect(refreshed.refresh_token).toBeTruthy();
    await expect(oidc.refreshTokenGrant(config, tokens.refresh_token as string)).rejects.toMatchObject({ error: "invalid_grant" });
  });

  it("accepts the client secret in the form body too (client_secret_post, as Nextcloud's user_oidc sends it)", async () => {
    const post = await oidc.discovery(new URL(issuer), clientId, { client_secret: clientSecret }, oidc.ClientSecretPost(), {
      execute: [oidc.allowInsecureRequests],
    });
    const user = await signUp(server);
    const flow = await startFlow(post, origin);
    const tokens = await redeem(post, await completeFlow(flow, user, origin), flow);
    expect(tokens.claims()?.sub).toBe(user.user.id);
    const wrong = await oidc.discovery(new URL(issuer), clientId, { client_secret: "not-the-secret" }, oidc.ClientSecretPost(), {
      execute: [oidc.allowInsecureRequests],
    });
    const flow2 = await startFlow(wrong, origin);
    await expect(redeem(wrong, await completeFlow(flow2, user, origin), flow2)).rejects.toMatchObject({ error: "invalid_client" });
  });

  it("ends the provider session through RP-initiated logout and returns to the registered URI", async () => {
    const user = await signUp(server);
    const flow = await startFlow(config, origin);
    const tokens = await redeem(config, await completeFlow(flow, user, origin), flow);

    const endUrl = oidc.buildEndSessionUrl(config, {
      id_token_hint: tokens.id_token as string,
      post_logout_redirect_uri: POST_LOGOUT_URI,
      state: "bye",
    });
    const page = await flow.browser.get(endUrl.toString());
    expect(page.status).toBe(200);
    const html = await page.text();
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(html)?.[1];
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    expect(xsrf && action).toBeTruthy();
    const confirmed = await flow.browser.post(new URL(action as string, issuer).toString(), { xsrf: xsrf as string, logout: "yes" });
    const landed = await flow.browser.navigate(action as string, origin, confirmed);
    expect(landed.url).toBe(`${POST_LOGOUT_URI}?state=bye`);
  });
});

describe("refusals", () => {
  it("refuses a redirect_uri that was not registered, without redirecting to it", async () => {
    const browser = new Browser();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: "http://evil.test/callback",
      scope: "openid",
      code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()),
      code_challenge_method: "S256",
    });
    const response = await browser.get(url.toString());
    expect(response.status).toBe(400);
    expect(response.headers.get("location")).toBeNull();
    expect(await response.text()).toContain("redirect_uri");
  });

  it("refuses an authorization request without PKCE, and one with the plain method", async () => {
    const variants: Record<string, string>[] = [{}, { code_challenge: "a".repeat(43), code_challenge_method: "plain" }];
    for (const params of variants) {
      const url = oidc.buildAuthorizationUrl(config, { redirect_uri: REDIRECT_URI, scope: "openid", state: "s", ...params });
      const response = await new Browser().get(url.toString());
      const location = new URL(response.headers.get("location") as string);
      expect(`${location.origin}${location.pathname}`).toBe(REDIRECT_URI);
      expect(location.searchParams.get("error")).toBe("invalid_request");
      expect(location.searchParams.get("code")).toBeNull();
    }
  });

  it("refuses a code used twice", async () => {
    const user = await signUp(server);
    const flow = await startFlow(config, origin);
    const callback = await completeFlow(flow, user, origin);
    await redeem(config, callback, flow);
    await expect(redeem(config, callback, flow)).rejects.toMatchObject({ error: "invalid_grant" });
  });

  it("refuses an interaction ticket in a browser that did not start the request (no code for the attacker)", async () => {
    const victim = await signUp(server);
    const attackerFlow = await startFlow(config, origin);
    // The attacker gets a signed-in victim to complete the attacker's request…
    const { redirectTo } = await victim.client.oidc.interaction.complete.mutate({ uid: attackerFlow.uid });
    // …the victim's browser follows it, without the attacker's interaction cookie.
    const victimBrowser = await new Browser().get(redirectTo);
    expect(victimBrowser.status).toBe(400);
    expect(await victimBrowser.text()).toContain("another browser");
    // The ticket was single use: the attacker's own browser cannot replay it either.
    const replay = await attackerFlow.browser.get(redirectTo);
    expect(replay.status).toBe(400);
  });
});

describe("storage sweep", () => {
  it("deletes expired provider records and keeps live ones", async () => {
    const db = server.deps.api.db;
    const past = new Date(Date.now() - 60_000);
    const future = new Date(Date.now() + 3600_000);
    await db.insert(oidcProviderRecords).values([
      { model: "AccessToken", id: "sweep-expired", payload: {}, expiresAt: past },
      { model: "AccessToken", id: "sweep-live", payload: {}, expiresAt: future },
    ]);
    expect(await deleteExpiredOidcRecords(db)).toBeGreaterThanOrEqual(1);
    const left = (await db.select({ id: oidcProviderRecords.id }).from(oidcProviderRecords)).map((row) => row.id);
    expect(left).toContain("sweep-live");
    expect(left).not.toContain("sweep-expired");
  });
});

describe("logout outbox sweep", () => {
  it("deletes deliveries settled over 30 days ago, never pending ones", async () => {
    const db = server.deps.api.db;
    const [client] = await db.select({ clientId: oidcClients.clientId }).from(oidcClients).limit(1);
    const old = new Date(Date.now() - 31 * 86400_000);
    const rows = await db
      .insert(oidcLogoutOutbox)
      .values([
        { clientId: client?.clientId as string, jti: "sweep-sent", state: "sent", createdAt: old },
        {
          clientId: client?.clientId as string,
          jti: "sweep-pending",
          state: "pending",
          createdAt: old,
          nextAttemptAt: new Date(Date.now() + 86400_000),
        },
        { clientId: client?.clientId as string, jti: "sweep-recent", state: "sent" },
      ])
      .returning({ jti: oidcLogoutOutbox.jti });
    expect(rows).toHaveLength(3);
    await deleteSettledLogouts(db);
    const left = (await db.select({ jti: oidcLogoutOutbox.jti }).from(oidcLogoutOutbox)).map((row) => row.jti);
    expect(left).toEqual(expect.arrayContaining(["sweep-pending", "sweep-recent"]));
    expect(left).not.toContain("sweep-sent");
  });
});

describe("without DATA_ENCRYPTION_KEY in production", () => {
  it("answers 503 at the provider and SERVICE_UNAVAILABLE from the procedures", async () => {
    const bare = await startTestServer({ env: { NODE_ENV: "production", DATA_ENCRYPTION_KEY: "" } });
    try {
      const response = await fetch(`${bare.url}/oidc/.well-known/openid-configuration`);
      expect(response.status).toBe(503);
      expect(await codeOf(clientFrom(bare).oidc.interaction.get.query({ uid: "any" }))).toBe("SERVICE_UNAVAILABLE");
    } finally {
      await bare.close();
    }
  });
});
