import { SignJWT } from "jose";

import { TOKEN_AUDIENCE, TOKEN_ISSUER } from "@voiceassist/api";

import { TEST_JWT_SECRET } from "./server";

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");

export const decodePayload = (token: string) =>
  JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString()) as Record<string, unknown>;

/** Signs arbitrary claims the way an attacker holding (or guessing) a secret would. */
export function forge(claims: Record<string, unknown>, options: { secret?: string; expSecondsFromNow?: number } = {}) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ iss: TOKEN_ISSUER, aud: TOKEN_AUDIENCE, iat: now, exp: now + (options.expSecondsFromNow ?? 600), ...claims })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .sign(new TextEncoder().encode(options.secret ?? TEST_JWT_SECRET));
}

/** An unsigned token (`alg: none`) carrying the given claims. */
export const unsigned = (claims: Record<string, unknown>) => `${b64({ alg: "none", typ: "JWT" })}.${b64(claims)}.`;

/** The same token with one payload claim changed and the original signature kept. */
export function tamper(token: string, changes: Record<string, unknown>) {
  const [header, , signature] = token.split(".");
  return `${header}.${b64({ ...decodePayload(token), ...changes })}.${signature}`;
}
