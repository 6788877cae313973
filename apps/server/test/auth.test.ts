import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startTestServer, type TestServer } from "@voiceassist/testing/server";
import { decodePayload, forge, tamper, unsigned } from "@voiceassist/testing/tokens";
import { clientFrom, codeOf, PASSWORD, post, signIn, signUp, signUpAdmin, uniqueEmail } from "@voiceassist/testing/users";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

const meWith = (token: string) => codeOf(clientFrom(server, undefined, () => token).auth.me.query());

describe("auth.register", () => {
  it("creates a non-admin user and never returns the hash", async () => {
    const email = uniqueEmail();
    const { user } = await clientFrom(server).auth.register.mutate({
      email: ` ${email.toUpperCase()} `,
      password: PASSWORD,
      fullName: "  Ada  ",
    });
    expect(user).toMatchObject({ email, fullName: "Ada", isActive: true, isAdmin: false, lastLogin: null });
    expect(user.createdAt).toBeInstanceOf(Date);
    expect(JSON.stringify(user)).not.toMatch(/hash|\$2[aby]\$/i);
  });

  it("refuses a duplicate email in any letter case with CONFLICT", async () => {
    const email = uniqueEmail();
    await clientFrom(server).auth.register.mutate({ email, password: PASSWORD });
    expect(await codeOf(clientFrom(server).auth.register.mutate({ email: email.toUpperCase(), password: PASSWORD }))).toBe("CONFLICT");
  });

  it("gives exactly one success and one CONFLICT for concurrent duplicate registrations", async () => {
    const email = uniqueEmail("race");
    const outcomes = await Promise.all(
      Array.from({ length: 2 }, () => codeOf(clientFrom(server).auth.register.mutate({ email, password: PASSWORD }))),
    );
    expect(outcomes.sort()).toEqual(["CONFLICT", "OK"]);
  });

  it("rejects a 73-byte password instead of truncating it, accepts 72", async () => {
    expect(await codeOf(clientFrom(server).auth.register.mutate({ email: uniqueEmail(), password: "p".repeat(73) }))).toBe("BAD_REQUEST");
    expect(await codeOf(clientFrom(server).auth.register.mutate({ email: uniqueEmail(), password: "é".repeat(37) }))).toBe("BAD_REQUEST");
    const email = uniqueEmail();
    await clientFrom(server).auth.register.mutate({ email, password: "p".repeat(72) });
    // bcrypt would accept a 73rd byte of anything if we truncated; the login with 72 must work.
    expect((await signIn(server, email, "p".repeat(72))).user.email).toBe(email);
  });
});

describe("auth.login", () => {
  it("returns a token pair with the contract's claims and sets lastLogin", async () => {
    const { tokens } = await signUp(server);
    expect(tokens).toMatchObject({ tokenType: "bearer", expiresIn: 900, refreshExpiresIn: 604800 });
    expect(tokens.user.lastLogin).toBeInstanceOf(Date);
    const access = decodePayload(tokens.accessToken);
    expect(access).toMatchObject({
      type: "access",
      role: "user",
      sub: tokens.user.id,
      email: tokens.user.email,
      iss: "voiceassist",
      aud: "voiceassist-api",
    });
    expect(Number(access.exp) - Number(access.iat)).toBe(900);
    for (const claim of ["sid", "jti"]) expect(typeof access[claim]).toBe("string");
    const refresh = decodePayload(tokens.refreshToken);
    expect(refresh).toMatchObject({ type: "refresh", sub: tokens.user.id, sid: access.sid });
    expect(Number(refresh.exp) - Number(refresh.iat)).toBe(604800);
    expect(refresh.email).toBeUndefined();
  });

  it("answers unknown email, wrong password and deactivated account identically", async () => {
    const victim = await signUp(server);
    const admin = await signUpAdmin(server);
    const inactive = await signUp(server);
    await admin.client.users.update.mutate({ id: inactive.user.id, isActive: false });

    const attempts = [
      { email: uniqueEmail("ghost"), password: PASSWORD },
      { email: victim.email, password: "wrong-password-1" },
      { email: inactive.email, password: PASSWORD },
    ];
    const bodies = [];
    for (const attempt of attempts) {
      const { response, body } = await post(server, "auth.login", attempt, { "x-forwarded-for": "10.9.9.9" });
      expect(response.status).toBe(401);
      bodies.push({ message: body.error.json.message, code: body.error.json.data.code });
    }
    expect(bodies).toEqual(Array(3).fill({ message: "Invalid email or password", code: "UNAUTHORIZED" }));
  });
});

describe("protected procedures refuse anything but a current access token", () => {
  let victim: Awaited<ReturnType<typeof signUp>>;
  let claims: Record<string, unknown>;
  beforeAll(async () => {
    victim = await signUp(server);
    claims = decodePayload(victim.tokens.accessToken);
  });

  it("accepts the genuine token", async () => {
    expect(await meWith(victim.tokens.accessToken)).toBe("OK");
    const me = await victim.client.auth.me.query();
    expect(me.id).toBe(victim.user.id);
  });

  it("refuses a missing or malformed Authorization header", async () => {
    expect(await codeOf(clientFrom(server).auth.me.query())).toBe("UNAUTHORIZED");
    for (const header of ["Bearer", "Basic abc", "Bearer a.b", `bearer ${victim.tokens.accessToken}x`, "Bearer ...."]) {
      const response = await fetch(`${server.trpcUrl}/auth.me`, { headers: { authorization: header } });
      expect(response.status).toBe(401);
    }
  });

  it("refuses alg:none", async () => {
    expect(await meWith(unsigned(claims))).toBe("UNAUTHORIZED");
  });

  it("refuses a token signed with another secret", async () => {
    expect(await meWith(await forge(claims, { secret: "another-secret-that-is-also-32-bytes-long" }))).toBe("UNAUTHORIZED");
  });

  it("refuses an expired token", async () => {
    expect(await meWith(await forge({ ...claims, exp: Math.floor(Date.now() / 1000) - 60 }))).toBe("UNAUTHORIZED");
  });

  it("refuses a token without exp", async () => {
    const { exp: _exp, ...rest } = claims;
    const { SignJWT } = await import("jose");
    const token = await new SignJWT(rest)
      .setProtectedHeader({ alg: "HS256" })
      .sign(new TextEncoder().encode("test-secret-that-is-long-enough-for-hs256!!"));
    expect(await meWith(token)).toBe("UNAUTHORIZED");
  });

  it("refuses a tampered payload", async () => {
    expect(await meWith(tamper(victim.tokens.accessToken, { role: "admin" }))).toBe("UNAUTHORIZED");
  });

  it("refuses wrong iss, aud or type", async () => {
    expect(await meWith(await forge({ ...claims, iss: "someone-else" }))).toBe("UNAUTHORIZED");
    expect(await meWith(await forge({ ...claims, aud: "other-api" }))).toBe("UNAUTHORIZED");
    expect(await meWith(await forge({ ...claims, type: "refresh" }))).toBe("UNAUTHORIZED");
  });

  it("refuses a refresh token used as an access token, and the reverse", async () => {
    expect(await meWith(victim.tokens.refreshToken)).toBe("UNAUTHORIZED");
    expect(await codeOf(clientFrom(server).auth.refresh.mutate({ refreshToken: victim.tokens.accessToken }))).toBe("UNAUTHORIZED");
  });

  it("refuses an unknown sid, and a sid that belongs to another user", async () => {
    expect(await meWith(await forge({ ...claims, sid: crypto.randomUUID() }))).toBe("UNAUTHORIZED");
    const other = await signUp(server);
    const otherClaims = decodePayload(other.tokens.accessToken);
    expect(await meWith(await forge({ ...claims, sid: otherClaims.sid }))).toBe("UNAUTHORIZED");
  });

  it("never echoes the token in the error body", async () => {
    const bogus = await forge({ ...claims, sid: crypto.randomUUID() });
    const response = await fetch(`${server.trpcUrl}/auth.me`, { headers: { authorization: `Bearer ${bogus}` } });
    expect(await response.text()).not.toContain(bogus.split(".")[2]);
  });
});

describe("auth.refresh", () => {
  it("rotates: the new pair works and the old refresh token is used up", async () => {
    const session = await signUp(server);
    const anon = clientFrom(server);
    const next = await anon.auth.refresh.mutate({ refreshToken: session.tokens.refreshToken });
    expect(next.refreshToken).not.toBe(session.tokens.refreshToken);
    expect(await meWith(next.accessToken)).toBe("OK");
    expect(decodePayload(next.accessToken).sid).toBe(decodePayload(session.tokens.accessToken).sid);
  });

  it("treats reuse as theft: revokes the session and the tokens the rotation issued", async () => {
    const session = await signUp(server);
    const anon = clientFrom(server);
    const rotated = await anon.auth.refresh.mutate({ refreshToken: session.tokens.refreshToken });
    expect(await codeOf(anon.auth.refresh.mutate({ refreshToken: session.tokens.refreshToken }))).toBe("UNAUTHORIZED");
    expect(await meWith(rotated.accessToken)).toBe("UNAUTHORIZED");
    expect(await meWith(session.tokens.accessToken)).toBe("UNAUTHORIZED");
    expect(await codeOf(anon.auth.refresh.mutate({ refreshToken: rotated.refreshToken }))).toBe("UNAUTHORIZED");

    const admin = await signUpAdmin(server);
    const events = await admin.client.audit.list.query({ userId: session.user.id, action: "auth.refresh.reuse_detected" });
    expect(events.total).toBe(1);
  });

  it("lets exactly one of two concurrent refreshes with the same token win", async () => {
    const session = await signUp(server);
    const outcomes = await Promise.all(
      Array.from({ length: 2 }, () => codeOf(clientFrom(server).auth.refresh.mutate({ refreshToken: session.tokens.refreshToken }))),
    );
    expect(outcomes.sort()).toEqual(["OK", "UNAUTHORIZED"]);
  });

  it("refuses garbage and forged refresh tokens", async () => {
    const session = await signUp(server);
    const claims = decodePayload(session.tokens.refreshToken);
    const anon = clientFrom(server);
    expect(await codeOf(anon.auth.refresh.mutate({ refreshToken: "not-a-jwt" }))).toBe("UNAUTHORIZED");
    expect(
      await codeOf(
        anon.auth.refresh.mutate({ refreshToken: await forge({ ...claims, jti: crypto.randomUUID(), sid: crypto.randomUUID() }) }),
      ),
    ).toBe("UNAUTHORIZED");
    // The genuine one still works: failed attempts with other sids must not revoke this session.
    expect(await codeOf(anon.auth.refresh.mutate({ refreshToken: session.tokens.refreshToken }))).toBe("OK");
  });
});

describe("auth.logout", () => {
  it("revokes the current session only", async () => {
    const first = await signUp(server);
    const second = await signIn(server, first.email);
    await first.client.auth.logout.mutate();
    expect(await meWith(first.tokens.accessToken)).toBe("UNAUTHORIZED");
    expect(await codeOf(clientFrom(server).auth.refresh.mutate({ refreshToken: first.tokens.refreshToken }))).toBe("UNAUTHORIZED");
    expect(await meWith(second.tokens.accessToken)).toBe("OK");
  });

  it("revokes every session with allSessions", async () => {
    const first = await signUp(server);
    const second = await signIn(server, first.email);
    expect(await first.client.auth.logout.mutate({ allSessions: true })).toEqual({ success: true });
    expect(await meWith(first.tokens.accessToken)).toBe("UNAUTHORIZED");
    expect(await meWith(second.tokens.accessToken)).toBe("UNAUTHORIZED");
    expect(await codeOf(clientFrom(server).auth.refresh.mutate({ refreshToken: second.tokens.refreshToken }))).toBe("UNAUTHORIZED");
  });
});

describe("authorization follows the database, not the token", () => {
  it("a deactivated user's live token is refused on the next call", async () => {
    const admin = await signUpAdmin(server);
    const user = await signUp(server);
    expect(await meWith(user.tokens.accessToken)).toBe("OK");
    await admin.client.users.update.mutate({ id: user.user.id, isActive: false });
    expect(await meWith(user.tokens.accessToken)).toBe("UNAUTHORIZED");
  });

  it("a demoted admin loses admin procedures on the next call", async () => {
    const boss = await signUpAdmin(server);
    const deputy = await signUpAdmin(server);
    expect(await codeOf(deputy.client.users.list.query())).toBe("OK");
    await boss.client.users.update.mutate({ id: deputy.user.id, isAdmin: false });
    // Same token, still claiming role "admin".
    expect(decodePayload(deputy.tokens.accessToken).role).toBe("admin");
    expect(await codeOf(deputy.client.users.list.query())).toBe("FORBIDDEN");
    expect(await codeOf(deputy.client.users.me.query())).toBe("OK");
  });
});
