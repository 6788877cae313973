import { decodeJwt, SignJWT } from "jose";
import { describe, expect, it } from "vitest";

import { createTokenService, TOKEN_AUDIENCE, TOKEN_ISSUER } from "./tokens";

const SECRET = "unit-test-secret-that-is-long-enough!!";
const tokens = createTokenService({ secret: SECRET, accessTtlSeconds: 900, refreshTtlSeconds: 86400 });
const now = () => Math.floor(Date.now() / 1000);

/** A token signed with the real key but an `iat` of our choosing, as a skewed or compromised issuer would mint. */
function signed(type: "access" | "refresh", iat: number) {
  return new SignJWT({ type, sid: "session-1", email: "a@example.com", role: "user" })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject("user-1")
    .setJti("jti-1")
    .setIssuer(TOKEN_ISSUER)
    .setAudience(TOKEN_AUDIENCE)
    .setIssuedAt(iat)
    .setExpirationTime(iat + 3600 * 24 * 365)
    .sign(new TextEncoder().encode(SECRET));
}

describe("token service: iat", () => {
  it("accepts a token issued now or within the clock tolerance", async () => {
    expect(await tokens.verifyAccess(await signed("access", now()))).toMatchObject({ sub: "user-1" });
    expect(await tokens.verifyAccess(await signed("access", now() + 2))).toMatchObject({ sub: "user-1" });
  });

  it("rejects an access token whose iat lies in the future beyond the tolerance", async () => {
    expect(await tokens.verifyAccess(await signed("access", now() + 60))).toBeNull();
    expect(await tokens.verifyAccess(await signed("access", now() + 3600 * 24 * 30))).toBeNull();
  });

  it("rejects a refresh token issued in the future too", async () => {
    expect(await tokens.verifyRefresh(await signed("refresh", now() + 3600))).toBeNull();
  });

  it("still verifies its own fresh tokens", async () => {
    const access = await tokens.signAccess({ sub: "user-2", sid: "s", email: "b@example.com", role: "admin" });
    expect(await tokens.verifyAccess(access)).toMatchObject({ sub: "user-2", role: "admin" });
  });
});

describe("token service: lifetime", () => {
  it("lives exactly its ttl, even when signing straddles a second", async () => {
    // A clock one millisecond before a second, moving on one millisecond at every reading.
    let nowMs = Date.UTC(2026, 0, 1, 12, 0, 0) - 1;
    const service = createTokenService({ secret: SECRET, accessTtlSeconds: 900, refreshTtlSeconds: 86400, clock: () => nowMs++ });
    const claims = { sub: "user-1", sid: "s-1", email: "a@example.com", role: "user" } as const;
    const access = decodeJwt(await service.signAccess(claims));
    expect(access.exp! - access.iat!).toBe(900);
    nowMs = Date.UTC(2026, 0, 1, 12, 0, 0) - 1;
    const refresh = decodeJwt(await service.signRefresh({ sub: "user-1", sid: "s-1", jti: "r-1" }));
    expect(refresh.exp! - refresh.iat!).toBe(86400);
  });
});

describe("token service: verified access tokens kept for their lifetime", () => {
  /** A service on a clock the test moves, and a twin that has never seen the token, to say what jose alone decides. */
  function onClock(startMs: number) {
    let nowMs = startMs;
    const config = { secret: SECRET, accessTtlSeconds: 60, refreshTtlSeconds: 86400, clock: () => nowMs };
    return { service: createTokenService(config), config, setNow: (ms: number) => (nowMs = ms) };
  }

  it("refuses a kept token once it expires, at the very second jose alone would", async () => {
    const start = Date.UTC(2026, 0, 1, 12, 0, 0);
    const { service, config, setNow } = onClock(start);
    const token = await service.signAccess({ sub: "user-1", sid: "s-1", email: "a@example.com", role: "user" });
    expect(await service.verifyAccess(token)).toMatchObject({ sub: "user-1", sid: "s-1" });
    // Around exp (60 s) plus the 5 s tolerance, every 250 ms: the kept answer and a first verification agree.
    for (let ms = 60_000; ms <= 67_000; ms += 250) {
      setNow(start + ms);
      const fresh = await createTokenService(config).verifyAccess(token);
      const kept = await service.verifyAccess(token);
      expect({ ms, kept: kept !== null }).toEqual({ ms, kept: fresh !== null });
    }
    setNow(start + 64_999);
    expect(await createTokenService(config).verifyAccess(token)).not.toBeNull();
    setNow(start + 65_000);
    expect(await service.verifyAccess(token)).toBeNull();
  });

  it("verifies in full any token that is not byte for byte one it kept", async () => {
    const token = await tokens.signAccess({ sub: "user-3", sid: "s-3", email: "c@example.com", role: "user" });
    expect(await tokens.verifyAccess(token)).toMatchObject({ sub: "user-3" });
    const [header, payload, signature] = token.split(".") as [string, string, string];
    const flipped = signature.slice(0, -2) + (signature.at(-2) === "A" ? "B" : "A") + signature.at(-1);
    expect(await tokens.verifyAccess(`${header}.${payload}.${flipped}`)).toBeNull();
    // The same claims, signed by someone else's key.
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString()) as Record<string, unknown>;
    const forged = await new SignJWT(claims)
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .sign(new TextEncoder().encode("another-secret-that-is-long-enough!!!"));
    expect(await tokens.verifyAccess(forged)).toBeNull();
    // A promoted role in a payload grafted onto the kept token's signature.
    const promoted = Buffer.from(JSON.stringify({ ...claims, role: "admin" })).toString("base64url");
    expect(await tokens.verifyAccess(`${header}.${promoted}.${signature}`)).toBeNull();
  });

  it("hands out claims nobody can change for the next caller", async () => {
    const token = await tokens.signAccess({ sub: "user-4", sid: "s-4", email: "d@example.com", role: "user" });
    const first = await tokens.verifyAccess(token);
    expect(() => Object.assign(first!, { role: "admin" })).toThrow(TypeError);
    expect(await tokens.verifyAccess(token)).toMatchObject({ sub: "user-4", role: "user" });
  });

  it("never keeps a refresh token as an access token", async () => {
    const refresh = await tokens.signRefresh({ sub: "user-5", sid: "s-5", jti: "r-5" });
    expect(await tokens.verifyRefresh(refresh)).toMatchObject({ sub: "user-5" });
    expect(await tokens.verifyAccess(refresh)).toBeNull();
    expect(await tokens.verifyAccess(refresh)).toBeNull();
  });
});
