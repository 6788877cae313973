import { createHash, randomUUID } from "node:crypto";

import { and, desc, eq, gt, inArray, isNull, lt, ne, or, sql, type SQL } from "drizzle-orm";

import { sessions, users, type Database } from "@voiceassist/db";

import { endSingleSignOn } from "./oidc/logout-outbox";
import { publicUserColumns, type PublicUser } from "./public-user";

export type RevokeReason =
  | "logout"
  | "logout_all"
  | "password_change"
  | "password_reset"
  | "deactivated"
  | "deleted"
  | "refresh_reuse"
  | "session_cap"
  | "admin_revoke"
  | "mfa_change"
  | "mfa_reset";

/** Only a hash of the refresh jti is stored, so a database leak yields no usable token ids. */
export const hashJti = (jti: string) => createHash("sha256").update(jti).digest("hex");

/** Authentication methods a session records: password, one-time code (TOTP or backup code), passkey. */
export type AuthMethod = "pwd" | "otp" | "hwk";

export interface SessionMeta {
  ip: string | null;
  userAgent: string | null;
}

/** How long sessions may live: each refresh extends to `refreshTtlSeconds`, never past `maxAgeSeconds` from creation. */
export interface SessionPolicy {
  refreshTtlSeconds: number;
  maxAgeSeconds: number;
  /** Live sessions one user may hold; signing in past it ends the oldest. */
  maxPerUser: number;
}

/** The expiry a refresh may set: the refresh lifetime from now, capped by the absolute lifetime. */
const cappedExpiry = (policy: SessionPolicy) =>
  sql`least(now() + make_interval(secs => ${policy.refreshTtlSeconds}), ${sessions.createdAt} + make_interval(secs => ${policy.maxAgeSeconds}))`;

/**
 * The one definition of a live session, for every query that needs it: not
 * revoked, not expired, made under the user's current credentials version, and
 * the user active (a deleted user is a deactivated one). The user is read in a
 * subquery, so the fragment fits any statement on `sessions`, joined or not.
 */
export const sessionIsLive = and(
  isNull(sessions.revokedAt),
  gt(sessions.expiresAt, sql`now()`),
  sql`${sessions.credentialsVersion} = (select ${users.credentialsVersion} from ${users} where ${users.id} = ${sessions.userId} and ${users.isActive})`,
) as SQL;

/**
 * Creates a session bound to `credentialsVersion`, the version the caller
 * verified the password against. Run it in the transaction that re-checked
 * that version under a row lock, so a concurrent password change, deactivation
 * or delete either happens before (and this fails) or after (and revokes it).
 */
export async function createSession(
  db: Database,
  user: { id: string; credentialsVersion: number },
  policy: SessionPolicy,
  meta: SessionMeta,
  /** How the user proved who they are (RFC 8176 names); anything beyond a password is a second factor. */
  amr: AuthMethod[] = ["pwd"],
) {
  const id = randomUUID();
  const refreshJti = randomUUID();
  const ttl = Math.min(policy.refreshTtlSeconds, policy.maxAgeSeconds);
  await db.insert(sessions).values({
    id,
    userId: user.id,
    refreshJtiHash: hashJti(refreshJti),
    credentialsVersion: user.credentialsVersion,
    expiresAt: new Date(Date.now() + ttl * 1000),
    ip: meta.ip,
    userAgent: meta.userAgent?.slice(0, 512) ?? null,
    mfa: amr.some((method) => method !== "pwd"),
    amr,
  });
  await revokeSessionsBeyondCap(db, user.id, policy.maxPerUser);
  return { sessionId: id, refreshJti };
}

/** Revokes the user's oldest live sessions so that at most `cap` remain. */
async function revokeSessionsBeyondCap(db: Database, userId: string, cap: number) {
  const surplus = db
    .select({ id: sessions.id })
    .from(sessions)
    .where(and(eq(sessions.userId, userId), sessionIsLive))
    .orderBy(desc(sessions.createdAt), desc(sessions.id))
    .offset(cap);
  await db.update(sessions).set({ revokedAt: sql`now()`, revokedReason: "session_cap" }).where(inArray(sessions.id, surplus));
}

export type RotationResult = { status: "rotated"; refreshJti: string } | { status: "reused" } | { status: "invalid" };

/**
 * Swaps the session's refresh jti in one conditional UPDATE, so of two
 * concurrent refreshes with the same token exactly one wins. The same
 * statement checks that the user is still active with the credentials the
 * session was made under, so a refresh racing a password change or
 * deactivation cannot outlive it. A signed token for a live session whose jti
 * is no longer current was already used: that is reuse, and the whole session
 * is revoked (its newer tokens with it).
 */
export async function rotateRefreshToken(
  db: Database,
  claims: { sid: string; sub: string; jti: string },
  policy: SessionPolicy,
): Promise<RotationResult> {
  const presented = hashJti(claims.jti);
  const refreshJti = randomUUID();
  const thisSession = and(eq(sessions.id, claims.sid), eq(sessions.userId, claims.sub));
  const rotated = await db
    .update(sessions)
    .set({ refreshJtiHash: hashJti(refreshJti), lastUsedAt: sql`now()`, expiresAt: cappedExpiry(policy) })
    .where(and(thisSession, eq(sessions.refreshJtiHash, presented), sessionIsLive))
    .returning({ id: sessions.id });
  if (rotated.length === 1) return { status: "rotated", refreshJti };

  const revoked = await db
    .update(sessions)
    .set({ revokedAt: sql`now()`, revokedReason: "refresh_reuse" })
    .where(and(thisSession, isNull(sessions.revokedAt), ne(sessions.refreshJtiHash, presented)))
    .returning({ id: sessions.id });
  return revoked.length === 1 ? { status: "reused" } : { status: "invalid" };
}

export async function revokeSession(db: Database, sessionId: string, reason: RevokeReason) {
  await db
    .update(sessions)
    .set({ revokedAt: sql`now()`, revokedReason: reason })
    .where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt)));
}

/**
 * Revokes every live session of a user, optionally sparing one (the caller's).
 * The one place sessions end in bulk, so also where single sign-on ends: the
 * relying parties get back-channel logouts and their tokens stop (even when
 * the caller's own session is spared: a password or factor change may mean
 * someone else had signed in). Run it in the caller's transaction.
 */
export async function revokeUserSessions(db: Database, userId: string, reason: RevokeReason, exceptSessionId?: string) {
  await db
    .update(sessions)
    .set({ revokedAt: sql`now()`, revokedReason: reason })
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), exceptSessionId ? ne(sessions.id, exceptSessionId) : undefined));
  await endSingleSignOn(db, userId);
}

/**
 * Moves the user's credentials version forward, which kills every session
 * made under the old one; `keepSessionId` (the caller's) is carried over.
 * Returns the new version.
 */
export async function advanceCredentials(db: Database, userId: string, keepSessionId?: string): Promise<number> {
  const [row] = await db
    .update(users)
    .set({ credentialsVersion: sql`${users.credentialsVersion} + 1` })
    .where(eq(users.id, userId))
    .returning({ credentialsVersion: users.credentialsVersion });
  if (keepSessionId && row) {
    await db
      .update(sessions)
      .set({ credentialsVersion: row.credentialsVersion })
      .where(and(eq(sessions.id, keepSessionId), eq(sessions.userId, userId)));
  }
  return row?.credentialsVersion ?? 0;
}

/**
 * The one database round trip behind every protected call: the user as the
 * database has them now, if the session is live, made under the current
 * credentials, and the account active.
 */
export async function findSessionUser(db: Database, sessionId: string, userId: string): Promise<PublicUser | null> {
  return (await findLiveSession(db, sessionId, userId))?.user ?? null;
}

/** As findSessionUser, plus whether the session signed in with a second factor. */
export async function findLiveSession(db: Database, sessionId: string, userId: string): Promise<{ user: PublicUser; mfa: boolean } | null> {
  const [row] = await sessionUserStatement(db).execute({ sessionId, userId });
  return row ?? null;
}

/**
 * Built once per database handle, not per call: this runs on every protected
 * request, and building drizzle's SQL each time cost more than the query.
 * Still one round trip per call, so revocation stays immediate everywhere.
 */
const sessionUserStatements = new WeakMap<Database, ReturnType<typeof prepareSessionUser>>();

function sessionUserStatement(db: Database) {
  let statement = sessionUserStatements.get(db);
  if (!statement) {
    statement = prepareSessionUser(db);
    sessionUserStatements.set(db, statement);
  }
  return statement;
}

const prepareSessionUser = (db: Database) =>
  db
    .select({ user: publicUserColumns, mfa: sessions.mfa })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.id, sql.placeholder("sessionId")), eq(sessions.userId, sql.placeholder("userId")), sessionIsLive))
    .limit(1)
    .prepare("find_session_user");

/** Deletes sessions that can never be used again; returns how many. */
export async function deleteStaleSessions(db: Database, graceMs = 24 * 3600 * 1000): Promise<number> {
  const cutoff = new Date(Date.now() - graceMs);
  const deleted = await db
    .delete(sessions)
    .where(or(lt(sessions.expiresAt, cutoff), lt(sessions.revokedAt, cutoff)))
    .returning({ id: sessions.id });
  return deleted.length;
}
