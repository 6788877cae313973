import { randomBytes } from "node:crypto";

import { createRemoteJWKSet, jwtVerify } from "jose";
import * as oidc from "openid-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { TestServer } from "@voiceassist/testing/server";
import { clientFrom, signUp } from "@voiceassist/testing/users";

import { discover, redeem, registerClient, startFlow, startOidcServer } from "./support";

/**
 * Two instances behind one issuer, on one database: each step of a flow may
 * reach either one. Instance B is reached by rewriting the issuer's origin
 * (what a load balancer does), so everything B answers must come from the
 * shared tables: the interaction, the grant, the code, the refresh token and
 * the signing keys.
 */
let a: TestServer;
let b: TestServer;
let issuer: string;
let clientId: string;
let clientSecret: string;

beforeAll(async () => {
  const key = randomBytes(32).toString("base64");
  ({ server: a, issuer } = await startOidcServer({ DATA_ENCRYPTION_KEY: key }));
  ({ server: b } = await startOidcServer({ DATA_ENCRYPTION_KEY: key, OIDC_ISSUER: issuer }, { database: a.database }));
  ({ clientId, clientSecret } = await registerClient(a));
});
afterAll(async () => {
  await b?.close();
  await a?.close();
});

/** openid-client against instance B: every request to the issuer's origin goes to B's port. */
async function throughB(): Promise<oidc.Configuration> {
  const config = await discover(issuer, clientId, clientSecret);
  const origin = new URL(issuer).origin;
  config[oidc.customFetch] = (url, options) => fetch(url.replace(origin, b.url), options);
  return config;
}

describe("the provider on two instances", () => {
  it("a flow started on one instance completes, redeems, refreshes and reads userinfo on the other", async () => {
    const user = await signUp(a, { fullName: "Two Instances" });
    const viaA = await discover(issuer, clientId, clientSecret);
    const viaB = await throughB();

    // The browser starts at A (the issuer's address); the web app's call lands on B.
    const flow = await startFlow(viaA, new URL(issuer).origin, { scope: "openid email offline_access", prompt: "consent" });
    const onB = clientFrom(b, user.ip, () => user.tokens.accessToken);
    const { redirectTo } = await onB.oidc.interaction.complete.mutate({ uid: flow.uid });
    const { url: callback } = await flow.browser.navigate(redirectTo, new URL(issuer).origin);

    // The code A issued is redeemed at B; the ID token verifies against B's JWKS.
    const tokens = await redeem(viaB, callback, flow);
    const jwksOnB = (viaA.serverMetadata().jwks_uri as string).replace(new URL(issuer).origin, b.url);
    const jwks = createRemoteJWKSet(new URL(jwksOnB));
    const { payload } = await jwtVerify(tokens.id_token as string, jwks, { issuer, audience: clientId });
    expect(payload.sub).toBe(user.user.id);

    expect((await oidc.fetchUserInfo(viaA, tokens.access_token, user.user.id)).email).toBe(user.email);
    const refreshed = await oidc.refreshTokenGrant(viaA, tokens.refresh_token as string);
    expect((await oidc.fetchUserInfo(viaB, refreshed.access_token, user.user.id)).sub).toBe(user.user.id);
    // The refresh token A rotated is spent on B too.
    await expect(oidc.refreshTokenGrant(viaB, tokens.refresh_token as string)).rejects.toMatchObject({ error: "invalid_grant" });
  });
});
