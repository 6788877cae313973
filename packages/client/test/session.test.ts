import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import { tokenPair } from "@voiceassist/testing/users";
import { createSoftAuthenticator } from "@voiceassist/testing/webauthn";

import { createClient, createSessionClient, errorCode } from "../src";
import { decodePayload, forge, fromIp, PASSWORD, recordingFetch, startTestServer, uniqueEmail, type TestServer } from "./support";

/** The web app's origin in the API's default WEBAUTHN_ORIGINS. */
const WEB_ORIGIN = "http://localhost:3000";

describe("session client against the real server", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.close());

  /** A registered user signed in through a fresh session client that records its traffic. */
  async function signedIn(slowRefreshMs = 0) {
    const email = uniqueEmail();
    await createClient({ url: server.trpcUrl, headers: fromIp }).auth.register.mutate({ email, password: PASSWORD });
    const recorder = recordingFetch({ path: "auth.refresh", ms: slowRefreshMs });
    const onSessionExpired = vi.fn();
    const session = createSessionClient({ url: server.trpcUrl, fetch: recorder.fetch, onSessionExpired });
    const pair = tokenPair(await session.signIn({ email, password: PASSWORD }));
    return { email, session, recorder, onSessionExpired, pair };
  }

  /** The same session's access token, validly signed but a minute past its `exp` (beyond the server's clock tolerance). */
  const expired = (accessToken: string) => {
    const { exp: _exp, ...claims } = decodePayload(accessToken);
    return forge(claims, { expSecondsFromNow: -60 });
  };

  it("ten calls that fail together cause exactly one auth.refresh, then all succeed", async () => {
    const { session, recorder, pair } = await signedIn();
    session.store.set({ accessToken: await expired(pair.accessToken), refreshToken: pair.refreshToken });

    const results = await Promise.all(Array.from({ length: 10 }, () => session.client.users.me.query()));

    expect(results.map((user) => user.id)).toEqual(Array(10).fill(pair.user.id));
    expect(recorder.count("auth.refresh")).toBe(1);
    expect(session.store.get()?.refreshToken).not.toBe(pair.refreshToken);
    // The session survived: had the refresh token been spent twice, the server would have revoked it.
    await expect(session.client.auth.me.query()).resolves.toMatchObject({ id: pair.user.id });
  });

  it("calls failing in separate requests, during and after the refresh, still refresh once", async () => {
    // The refresh answer is held back 100 ms, so some failures arrive while it runs and some after.
    const { session, recorder, pair } = await signedIn(100);
    session.store.set({ accessToken: await expired(pair.accessToken), refreshToken: pair.refreshToken });

    const calls = Array.from({ length: 10 }, async (_, i) => {
      await new Promise((resolve) => setTimeout(resolve, i * 25));
      return i % 2 ? session.client.users.me.query() : session.client.auth.me.query();
    });

    await expect(Promise.all(calls)).resolves.toHaveLength(10);
    expect(recorder.count("auth.refresh")).toBe(1);
  });

  it("a refused refresh clears the store and tells the app once; calls reject with UNAUTHORIZED", async () => {
    const { session, recorder, onSessionExpired, email } = await signedIn();
    // Another device signs out everywhere: this session's tokens are revoked.
    const other = createSessionClient({ url: server.trpcUrl });
    await other.signIn({ email, password: PASSWORD });
    await other.signOut({ allSessions: true });

    const outcomes = await Promise.allSettled(Array.from({ length: 5 }, () => session.client.users.me.query()));

    expect(outcomes.map((o) => (o.status === "rejected" ? errorCode(o.reason) : "fulfilled"))).toEqual(Array(5).fill("UNAUTHORIZED"));
    expect(recorder.count("auth.refresh")).toBe(1);
    expect(onSessionExpired).toHaveBeenCalledTimes(1);
    expect(session.store.get()).toBeNull();
  });

  it("bad credentials and missing tokens never trigger a refresh", async () => {
    const { session, recorder, onSessionExpired, email, pair } = await signedIn();
    await expect(session.signIn({ email, password: "wrong-password-here" })).rejects.toMatchObject({
      data: { code: "UNAUTHORIZED" },
    });
    expect(session.store.get()?.accessToken).toBe(pair.accessToken);

    await session.signOut();
    await expect(session.client.users.me.query()).rejects.toMatchObject({ data: { code: "UNAUTHORIZED" } });
    expect(recorder.count("auth.refresh")).toBe(0);
    expect(onSessionExpired).not.toHaveBeenCalled();
  });

  it("signIn with an `allow` that refuses keeps nothing and revokes the session it opened", async () => {
    const { session, email } = await signedIn();
    await session.signOut();
    const seen: string[] = [];
    const result = await session.signIn(
      { email, password: PASSWORD },
      {
        allow: (pair) => {
          seen.push(pair.accessToken);
          return pair.user.isAdmin;
        },
      },
    );
    expect(result).toBeNull();
    expect(session.store.get()).toBeNull();
    const opened = createClient({ url: server.trpcUrl, getAccessToken: () => seen[0] });
    await expect(opened.auth.me.query()).rejects.toMatchObject({ data: { code: "UNAUTHORIZED" } });
  });

  it("signInWithPasskey keeps the pair of a passwordless sign-in; refused by `allow`, it keeps nothing and ends that session", async () => {
    const { session, pair } = await signedIn();
    const device = createSoftAuthenticator();
    const creation = await session.client.mfa.passkeys.registrationOptions.mutate({ currentPassword: PASSWORD });
    await session.client.mfa.passkeys.register.mutate({ response: device.register(creation, { origin: WEB_ORIGIN }) });

    const fresh = createSessionClient({ url: server.trpcUrl, headers: fromIp });
    const kept = await fresh.signInWithPasskey({
      response: device.authenticate(await fresh.client.auth.passkey.options.mutate(), { origin: WEB_ORIGIN }),
    });
    expect(kept?.user.id).toBe(pair.user.id);
    expect(fresh.store.get()?.accessToken).toBe(kept?.accessToken);

    const panel = createSessionClient({ url: server.trpcUrl, headers: fromIp });
    const seen: string[] = [];
    const refused = await panel.signInWithPasskey(
      { response: device.authenticate(await panel.client.auth.passkey.options.mutate(), { origin: WEB_ORIGIN }) },
      {
        allow: (offered) => {
          seen.push(offered.accessToken);
          return offered.user.isAdmin;
        },
      },
    );
    expect(refused).toBeNull();
    expect(panel.store.get()).toBeNull();
    const opened = createClient({ url: server.trpcUrl, getAccessToken: () => seen[0] });
    await expect(opened.auth.me.query()).rejects.toMatchObject({ data: { code: "UNAUTHORIZED" } });
  });

  it("signOut revokes the session server-side before forgetting the pair", async () => {
    const { session, pair } = await signedIn();
    await session.signOut();
    expect(session.store.get()).toBeNull();
    const stale = createClient({ url: server.trpcUrl, getAccessToken: () => pair.accessToken });
    await expect(stale.auth.me.query()).rejects.toMatchObject({ data: { code: "UNAUTHORIZED" } });
  });
});
