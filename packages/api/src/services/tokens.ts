import { randomUUID } from "node:crypto";

import { errors, jwtVerify, SignJWT, type JWTPayload } from "jose";

import { createVerifiedTokenCache } from "./verified-tokens";

export const TOKEN_ISSUER = "voiceassist";
export const TOKEN_AUDIENCE = "voiceassist-api";
const ALGORITHM = "HS256";
/** Small tolerance for clock drift between instances; well under 30 s. */
const CLOCK_TOLERANCE_SECONDS = 5;
/** Verified access tokens kept per process (a few hundred bytes each); see verified-tokens.ts. */
const VERIFIED_ACCESS_TOKENS_KEPT = 10_000;

export interface TokenConfig {
  secret: string;
  accessTtlSeconds: number;
  refreshTtlSeconds: number;
  /** Milliseconds since the epoch; tests move it. */
  clock?: () => number;
}

export interface AccessClaims {
  sub: string;
  sid: string;
  jti: string;
  email: string;
  role: "admin" | "user";
}

export interface RefreshClaims {
  sub: string;
  sid: string;
  jti: string;
  exp: number;
}

/** What `verify` guarantees past jose's checks: the claims every token of ours carries, with their types. */
interface VerifiedPayload extends JWTPayload {
  sub: string;
  sid: string;
  jti: string;
  exp: number;
  iat: number;
}

export type TokenService = ReturnType<typeof createTokenService>;

export function createTokenService(config: TokenConfig) {
  const clock = config.clock ?? Date.now;
  // Imported once: handed raw bytes, jose would import a fresh CryptoKey on every sign and verify.
  const key = crypto.subtle.importKey("raw", new TextEncoder().encode(config.secret), { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
    "verify",
  ]);

  const sign = async (claims: Record<string, unknown>, subject: string, ttlSeconds: number, jti: string) => {
    // One reading for both claims: two could straddle a second, making the token live a second longer.
    const issuedAt = Math.floor(clock() / 1000);
    return new SignJWT(claims)
      .setProtectedHeader({ alg: ALGORITHM, typ: "JWT" })
      .setSubject(subject)
      .setJti(jti)
      .setIssuer(TOKEN_ISSUER)
      .setAudience(TOKEN_AUDIENCE)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + ttlSeconds)
      .sign(await key);
  };

  /** Verifies signature (HS256 only), iss, aud, exp, iat and the `type` claim; null when any fails. */
  async function verify(token: string, type: "access" | "refresh"): Promise<VerifiedPayload | null> {
    try {
      const { payload } = await jwtVerify(token, await key, {
        algorithms: [ALGORITHM],
        issuer: TOKEN_ISSUER,
        audience: TOKEN_AUDIENCE,
        requiredClaims: ["sub", "sid", "jti", "exp", "iat"],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        currentDate: new Date(clock()),
      });
      if (payload.type !== type || !hasOurClaims(payload) || issuedInTheFuture(payload, clock())) return null;
      return payload;
    } catch (error) {
      if (error instanceof errors.JOSEError) return null;
      throw error;
    }
  }

  // Frozen: one claims object is handed to every call that presents the token.
  const verifiedAccess = createVerifiedTokenCache<Readonly<AccessClaims>>(VERIFIED_ACCESS_TOKENS_KEPT);

  return {
    accessTtlSeconds: config.accessTtlSeconds,
    refreshTtlSeconds: config.refreshTtlSeconds,

    signAccess: (claims: Omit<AccessClaims, "jti">) =>
      sign({ type: "access", sid: claims.sid, email: claims.email, role: claims.role }, claims.sub, config.accessTtlSeconds, randomUUID()),

    signRefresh: (claims: { sub: string; sid: string; jti: string }) =>
      sign({ type: "refresh", sid: claims.sid }, claims.sub, config.refreshTtlSeconds, claims.jti),

    async verifyAccess(token: string): Promise<Readonly<AccessClaims> | null> {
      // jose's own expiry rule with its tolerance: accepted while now < exp + tolerance, in whole seconds.
      const kept = verifiedAccess.get(token, Math.floor(clock() / 1000));
      if (kept) return kept;
      const payload = await verify(token, "access");
      if (!payload) return null;
      const claims = Object.freeze<AccessClaims>({
        sub: payload.sub,
        sid: payload.sid,
        jti: payload.jti,
        email: String(payload.email ?? ""),
        role: payload.role === "admin" ? "admin" : "user",
      });
      verifiedAccess.set(token, payload.exp + CLOCK_TOLERANCE_SECONDS, claims);
      return claims;
    },

    async verifyRefresh(token: string): Promise<RefreshClaims | null> {
      const payload = await verify(token, "refresh");
      if (!payload) return null;
      return { sub: payload.sub, sid: payload.sid, jti: payload.jti, exp: payload.exp };
    },
  };
}

/** requiredClaims only says present; this says of the right type, so callers need no casts. */
function hasOurClaims(payload: JWTPayload): payload is VerifiedPayload {
  return (
    typeof payload.sub === "string" &&
    typeof payload.sid === "string" &&
    typeof payload.jti === "string" &&
    typeof payload.exp === "number" &&
    typeof payload.iat === "number"
  );
}

/**
 * jose checks `iat` only together with maxTokenAge, so a token minted with a
 * future `iat` (a skewed or forged clock) would pass; no instance of ours issues one.
 */
function issuedInTheFuture(payload: VerifiedPayload, nowMs: number): boolean {
  return payload.iat > nowMs / 1000 + CLOCK_TOLERANCE_SECONDS;
}
