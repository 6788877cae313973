import type { Database } from "@voiceassist/db";

import { findLiveSession } from "./sessions";
import type { AccessClaims, TokenService } from "./tokens";

/** Only a JWT's three base64url parts after "Bearer ": anything else is not worth verifying. */
const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/;

/**
 * The caller behind an Authorization header, or null: a valid access token
 * whose session is live now, checked against the database on every call so
 * that revocation holds at once on every instance. The one rule for the tRPC
 * procedures and the OpenID sign-in alike.
 */
export async function authenticateBearer(
  deps: { db: Database; tokens: TokenService },
  authorization: string | null,
): Promise<{ claims: Readonly<AccessClaims>; session: NonNullable<Awaited<ReturnType<typeof findLiveSession>>> } | null> {
  const token = BEARER.exec(authorization ?? "")?.[1];
  const claims = token ? await deps.tokens.verifyAccess(token) : null;
  const session = claims ? await findLiveSession(deps.db, claims.sid, claims.sub) : null;
  return claims && session ? { claims, session } : null;
}
