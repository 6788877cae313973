import { createHash, randomUUID } from "node:crypto";

import { and, eq, gt, isNull, lt, ne, or, sql } from "drizzle-orm";

import { sessions, users, type Database } from "@voiceassist/db";

import { publicUserColumns, type PublicUser } from "./public-user";

export type RevokeReason = "logout" | "logout_all" | "password_change" | "deactivated" | "deleted" | "refresh_reuse";

/** Only a hash of the refresh jti is stored, so a database leak yields no usable token ids. */
export const hashJti = (jti: string) => createHash("sha256").update(jti).digest("hex");

export interface SessionMeta {
  ip: string | null;
  userAgent: string | null;
}

export async function createSession(db: Database, userId: string, expiresAt: Date, meta: SessionMeta) {
  const id = randomUUID();
  const refreshJti = randomUUID();
  await db.insert(sessions).values({
    id,
    userId,
    refreshJtiHash: hashJti(refreshJti),
    expiresAt,
    ip: meta.ip,
    userAgent: meta.userAgent?.slice(0, 512) ?? null,
  });
  return { sessionId: id, refreshJti };
}

export type RotationResult = { status: "rotated"; refreshJti: string } | { status: "reused" } | { status: "invalid" };

/**
 * Swaps the session's refresh jti in one conditional UPDATE, so of two
 * concurrent refreshes with the same token exactly one wins. A signed token
 * for a live session whose jti is no longer current was already used: that
 * is reuse, and the whole session is revoked (its newer tokens with it).
 */
export async function rotateRefreshToken(
  db: Database,
  claims: { sid: string; sub: string; jti: string },
  expiresAt: Date,
): Promise<RotationResult> {
  const presented = hashJti(claims.jti);
  const refreshJti = randomUUID();
  const live = and(eq(sessions.id, claims.sid), eq(sessions.userId, claims.sub), isNull(sessions.revokedAt));
  const rotated = await db
    .update(sessions)
    .set({ refreshJtiHash: hashJti(refreshJti), lastUsedAt: sql`now()`, expiresAt })
    .where(and(live, eq(sessions.refreshJtiHash, presented), gt(sessions.expiresAt, sql`now()`)))
    .returning({ id: sessions.id });
  if (rotated.length === 1) return { status: "rotated", refreshJti };

  const revoked = await db
    .update(sessions)
    .set({ revokedAt: sql`now()`, revokedReason: "refresh_reuse" })
    .where(and(live, ne(sessions.refreshJtiHash, presented)))
    .returning({ id: sessions.id });
  return revoked.length === 1 ? { status: "reused" } : { status: "invalid" };
}

export async function revokeSession(db: Database, sessionId: string, reason: RevokeReason) {
  await db
    .update(sessions)
    .set({ revokedAt: sql`now()`, revokedReason: reason })
    .where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt)));
}

/** Revokes every live session of a user, optionally sparing one (the caller's). */
export async function revokeUserSessions(
  db: Database,
  userId: string,
  reason: RevokeReason,
  exceptSessionId?: string,
) {
  await db
    .update(sessions)
    .set({ revokedAt: sql`now()`, revokedReason: reason })
    .where(
      and(
        eq(sessions.userId, userId),
        isNull(sessions.revokedAt),
        exceptSessionId ? ne(sessions.id, exceptSessionId) : undefined,
      ),
    );
}

/**
 * The one database round trip behind every protected call: the user as the
 * database has them now, if the session is live and the account active.
 */
export async function findSessionUser(db: Database, sessionId: string, userId: string): Promise<PublicUser | null> {
  const [row] = await db
    .select(publicUserColumns)
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(
      and(
        eq(sessions.id, sessionId),
        eq(sessions.userId, userId),
        isNull(sessions.revokedAt),
        gt(sessions.expiresAt, sql`now()`),
        eq(users.isActive, true),
      ),
    )
    .limit(1);
  return row ?? null;
}

/** Deletes sessions that can never be used again; returns how many. */
export async function deleteStaleSessions(db: Database, graceMs = 24 * 3600 * 1000): Promise<number> {
  const cutoff = new Date(Date.now() - graceMs);
  const deleted = await db
    .delete(sessions)
    .where(or(lt(sessions.expiresAt, cutoff), lt(sessions.revokedAt, cutoff)))
    .returning({ id: sessions.id });
  return deleted.length;
}
