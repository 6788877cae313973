import { createHash } from "node:crypto";
import { createServer, type Server } from "node:http";

import { and, eq } from "drizzle-orm";
import { createRemoteJWKSet, decodeJwt, jwtVerify } from "jose";
import * as oidc from "openid-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { totpCodeAt } from "@voiceassist/api";
import { auditEvents, loginFailures, oidcLogoutOutbox } from "@voiceassist/db";
import type { TestServer } from "@voiceassist/testing/server";
import { clientFrom, codeOf, PASSWORD, refusalOf, signIn, signUp, type signUpAdmin } from "@voiceassist/testing/users";
import { until } from "@voiceassist/testing/wait";

import { completeFlow, discover, REDIRECT_URI, redeem, registerClient, startFlow, startOidcServer } from "./support";

/**
 * Who may sign in through the provider and for how long: deactivation,
 * fresh sign-in requests, second factors in amr, secret rotation, and the
 * back-channel logouts sent when a user's sessions end.
 */
let server: TestServer;
let issuer: string;
let origin: string;
let clientId: string;
let clientSecret: string;
let admin: Awaited<ReturnType<typeof signUpAdmin>>;
let config: oidc.Configuration;

/** The relying party's back-channel logout endpoint: refuses the first `failFirst` deliveries, records the rest. */
let receiver: Server;
let receiverUrl: string;
const received: string[] = [];
let failFirst = 0;

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => {
      body += chunk;
    });
    req.on("end", () => {
      if (failFirst > 0) {
        failFirst--;
        res.writeHead(503).end();
        return;
      }
      received.push(new URLSearchParams(body).get("logout_token") ?? "");
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/backchannel`;

  ({ server, issuer } = await startOidcServer({ OIDC_LOGOUT_POLL_MS: "50", OIDC_LOGOUT_BACKOFF_MS: "50" }));
  origin = new URL(issuer).origin;
  ({ admin, clientId, clientSecret } = await registerClient(server, { backchannelLogoutUri: receiverUrl }));
  config = await discover(issuer, clientId, clientSecret);
});
afterAll(async () => {
  await server?.close();
  await new Promise((resolve) => receiver?.close(resolve));
});

async function signedInAtRp(user: Awaited<ReturnType<typeof signIn>>, params: Record<string, string> = {}) {
  const flow = await startFlow(config, origin, params);
  return redeem(config, await completeFlow(flow, user, origin), flow);
}

describe("a deactivated user", () => {
  it("gets no code, and their refresh token stops working at once", async () => {
    const user = await signUp(server);
    const tokens = await signedInAtRp(user, { scope: "openid offline_access", prompt: "consent" });
    const pending = await startFlow(config, origin);

    await admin.client.users.update.mutate({ id: user.user.id, isActive: false });

    await expect(oidc.refreshTokenGrant(config, tokens.refresh_token as string)).rejects.toMatchObject({ error: "invalid_grant" });
    // Their web session died with the deactivation: the web app cannot complete for them.
    expect(await codeOf(user.client.oidc.interaction.complete.mutate({ uid: pending.uid }))).toBe("UNAUTHORIZED");
  });

  it("gets no code when deactivated between the web app's completion and the browser's return", async () => {
    const user = await signUp(server);
    const flow = await startFlow(config, origin);
    const { redirectTo } = await user.client.oidc.interaction.complete.mutate({ uid: flow.uid });
    await admin.client.users.update.mutate({ id: user.user.id, isActive: false });

    const { url } = await flow.browser.navigate(redirectTo, origin);
    const landed = new URL(url);
    expect(landed.searchParams.get("code")).toBeNull();
  });
});

describe("a locked account", () => {
  it("gets no code while locked, and its refresh token stops", async () => {
    const user = await signUp(server);
    const tokens = await signedInAtRp(user, { scope: "openid offline_access", prompt: "consent" });
    const pending = await startFlow(config, origin);
    // Twenty failed sign-ins in the hour lock the account (its web session stays live).
    const emailHash = createHash("sha256").update(user.email).digest("hex");
    await server.deps.api.db.insert(loginFailures).values({ emailHash, failures: 20 });

    expect(await codeOf(user.client.oidc.interaction.complete.mutate({ uid: pending.uid }))).toBe("FORBIDDEN");
    await expect(oidc.refreshTokenGrant(config, tokens.refresh_token as string)).rejects.toMatchObject({ error: "invalid_grant" });
    const refused = await server.deps.api.db
      .select({ detail: auditEvents.detail })
      .from(auditEvents)
      .where(and(eq(auditEvents.targetUserId, user.user.id), eq(auditEvents.action, "oidc.login"), eq(auditEvents.outcome, "failure")));
    expect(refused.map((row) => row.detail)).toEqual([{ clientId, reason: "locked" }]);
  });
});

describe("the sign-in ticket", () => {
  it("is taken once when the browser fires it many times at once, over many rounds", async () => {
    const user = await signUp(server);
    for (let round = 0; round < 8; round++) {
      const flow = await startFlow(config, origin);
      const { redirectTo } = await user.client.oidc.interaction.complete.mutate({ uid: flow.uid });
      const answers = await Promise.all(Array.from({ length: 5 }, () => flow.browser.get(redirectTo)));
      const statuses = answers.map((answer) => answer.status).sort();
      expect(statuses).toEqual([303, 400, 400, 400, 400]);
    }
  });
});

describe("fresh sign-in", () => {
  it("prompt=login refuses a session older than the request, and accepts a new sign-in", async () => {
    const user = await signUp(server);
    const flow = await startFlow(config, origin, { prompt: "login" });

    const before = await user.client.oidc.interaction.get.query({ uid: flow.uid });
    expect(before).toMatchObject({ loginRequested: true, freshSignInRequired: true });
    expect(await refusalOf(user.client.oidc.interaction.complete.mutate({ uid: flow.uid }))).toBe("FORBIDDEN/FRESH_SIGN_IN_REQUIRED");

    // The provider counts in whole seconds: the new sign-in must fall in a later second than the request.
    const startedSecond = Math.floor(Date.now() / 1000);
    await until(() => Math.floor(Date.now() / 1000) > startedSecond, 2000);
    const again = await signIn(server, user.email);
    expect((await again.client.oidc.interaction.get.query({ uid: flow.uid })).freshSignInRequired).toBe(false);
    const tokens = await redeem(config, await completeFlow(flow, again, origin), flow);
    const claims = tokens.claims();
    expect(claims?.auth_time).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000) - 60);
  });

  it("max_age refuses a sign-in older than it allows, accepts one within it, and a new sign-in", async () => {
    const user = await signUp(server);
    const recent = await startFlow(config, origin, { max_age: "3600" });
    expect((await user.client.oidc.interaction.get.query({ uid: recent.uid })).freshSignInRequired).toBe(false);
    await redeem(config, await completeFlow(recent, user, origin), recent);

    // Whole seconds again: let the sign-in become older than max_age=3 (which leaves the new
    // sign-in below three seconds to complete, even on a busy machine).
    const signedInSecond = Math.floor(Date.now() / 1000);
    await until(() => Math.floor(Date.now() / 1000) > signedInSecond + 3, 5000);
    const strict = await startFlow(config, origin, { max_age: "3" });
    expect(await user.client.oidc.interaction.get.query({ uid: strict.uid })).toMatchObject({ maxAge: 3, freshSignInRequired: true });
    expect(await refusalOf(user.client.oidc.interaction.complete.mutate({ uid: strict.uid }))).toBe("FORBIDDEN/FRESH_SIGN_IN_REQUIRED");

    const again = await signIn(server, user.email);
    const tokens = await redeem(config, await completeFlow(strict, again, origin), strict);
    expect(tokens.claims()?.auth_time).toBeGreaterThan(signedInSecond);
  });

  it("says signed out when no token comes with the call, naming the application", async () => {
    const flow = await startFlow(config, origin);
    const seen = await clientFrom(server).oidc.interaction.get.query({ uid: flow.uid });
    expect(seen).toMatchObject({ signedIn: false, freshSignInRequired: false, client: { clientId, name: "Test RP" } });
    expect(await codeOf(clientFrom(server).oidc.interaction.get.query({ uid: "no-such-interaction" }))).toBe("NOT_FOUND");
  });
});

describe("second factors", () => {
  it("puts otp in amr and aal2 in acr for a TOTP sign-in", async () => {
    const user = await signUp(server);
    const { secret } = await user.client.mfa.totp.begin.mutate({ currentPassword: PASSWORD });
    await user.client.mfa.totp.confirm.mutate({ code: totpCodeAt(secret, Date.now()) });

    const step = await clientFrom(server).auth.login.mutate({ email: user.email, password: PASSWORD });
    if (!("mfaRequired" in step)) throw new Error("expected a second step");
    const pair = await clientFrom(server).auth.mfa.verify.mutate({
      challengeToken: step.challengeToken,
      totpCode: totpCodeAt(secret, Date.now() + 30_000),
    });
    const mfaUser = { ...user, client: clientFrom(server, undefined, () => pair.accessToken) };
    const tokens = await signedInAtRp(mfaUser);
    expect(tokens.claims()).toMatchObject({ amr: ["pwd", "otp"], acr: "urn:voiceassist:aal2" });
  });
});

describe("client secrets", () => {
  it("refuses the old secret after rotation and accepts the new one; all audited", async () => {
    const registered = await registerClient(server);
    const before = await discover(issuer, registered.clientId, registered.clientSecret);
    const user = await signUp(server);
    const flow = await startFlow(before, origin);
    const callback = await completeFlow(flow, user, origin);

    const rotated = await registered.admin.client.oidc.clients.rotateSecret.mutate({ clientId: registered.clientId });
    expect(rotated.clientSecret).not.toBe(registered.clientSecret);
    await expect(redeem(before, callback, flow)).rejects.toMatchObject({ error: "invalid_client" });

    const after = await discover(issuer, registered.clientId, rotated.clientSecret);
    const flow2 = await startFlow(after, origin);
    const tokens = await redeem(after, await completeFlow(flow2, user, origin), flow2);
    expect(tokens.claims()?.sub).toBe(user.user.id);

    const listed = await registered.admin.client.oidc.clients.list.query();
    const mine = listed.find((c) => c.clientId === registered.clientId);
    expect(mine).toBeTruthy();
    expect(mine).not.toHaveProperty("clientSecret");

    const actions = await server.deps.api.db
      .select({ action: auditEvents.action, detail: auditEvents.detail })
      .from(auditEvents)
      .where(eq(auditEvents.actorId, registered.admin.user.id));
    expect(actions.map((a) => a.action)).toEqual(expect.arrayContaining(["admin.oidc_client.create", "admin.oidc_client.rotate_secret"]));
    expect(JSON.stringify(actions)).not.toContain(rotated.clientSecret);
  });

  it("refuses clients procedures to a non-admin", async () => {
    const user = await signUp(server);
    expect(await codeOf(user.client.oidc.clients.list.query())).toBe("FORBIDDEN");
    expect(await codeOf(user.client.oidc.clients.create.mutate({ name: "x", redirectUris: [REDIRECT_URI] }))).toBe("FORBIDDEN");
  });

  it("refuses a redirect URI with a fragment or another scheme", async () => {
    for (const uri of ["http://rp.test/cb#frag", "javascript:alert(1)", "not a url"]) {
      expect(await codeOf(admin.client.oidc.clients.create.mutate({ name: "bad", redirectUris: [uri] }))).toBe("BAD_REQUEST");
    }
  });
});

describe("back-channel logout", () => {
  it("is delivered after logout everywhere, retried after the endpoint first fails", async () => {
    const user = await signUp(server);
    const tokens = await signedInAtRp(user);
    const sid = tokens.claims()?.sid;
    expect(sid).toBeTruthy();

    failFirst = 1;
    const count = received.length;
    await user.client.auth.logout.mutate({ allSessions: true });
    await until(() => received.length > count);

    const token = received[received.length - 1] as string;
    const jwks = createRemoteJWKSet(new URL(config.serverMetadata().jwks_uri as string));
    const { payload } = await jwtVerify(token, jwks, { issuer, audience: clientId });
    expect(payload).toMatchObject({ sub: user.user.id, sid, events: { "http://schemas.openid.net/event/backchannel-logout": {} } });
    expect(payload.nonce).toBeUndefined();

    const [row] = await server.deps.api.db
      .select()
      .from(oidcLogoutOutbox)
      .where(eq(oidcLogoutOutbox.jti, decodeJwt(token).jti as string));
    expect(row).toMatchObject({ state: "sent", attempts: 2 });
    // The provider's grants of that sign-in are gone with it.
    await expect(oidc.fetchUserInfo(config, tokens.access_token, user.user.id)).rejects.toBeTruthy();
  });

  it("is delivered when an admin signs the user out everywhere", async () => {
    const user = await signUp(server);
    await signedInAtRp(user);
    const count = received.length;
    await admin.client.users.revokeSessions.mutate({ id: user.user.id });
    await until(() => received.length > count);
    expect(decodeJwt(received[received.length - 1] as string).sub).toBe(user.user.id);
  });
});
