import { SignJWT } from "jose";
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
