import { and, desc, eq, sql } from "drizzle-orm";

import { sessions, type Database } from "@voiceassist/db";

import { sessionNotFound } from "../errors";
import type { Actor } from "./actor";
import { endSingleSignOn } from "./oidc/logout-outbox";
import { recordAudit, type AuditOrigin } from "./audit";
import { sessionIsLive } from "./sessions";
import { getUser } from "./user-records";

/** The contract's Session: one live sign-in, as its owner or an admin sees it. */
export interface SessionView {
  id: string;
  createdAt: Date;
  lastUsedAt: Date;
  expiresAt: Date;
  ip: string | null;
  userAgent: string | null;
  mfa: boolean;
  current: boolean;
}

/** A user's live sessions, newest first; `current` marks `currentSessionId` (the caller's). */
export async function listLiveSessions(db: Database, userId: string, currentSessionId?: string): Promise<SessionView[]> {
  const rows = await db
    .select({
      id: sessions.id,
      createdAt: sessions.createdAt,
      lastUsedAt: sessions.lastUsedAt,
      expiresAt: sessions.expiresAt,
      ip: sessions.ip,
      userAgent: sessions.userAgent,
      mfa: sessions.mfa,
    })
    .from(sessions)
    .where(and(eq(sessions.userId, userId), sessionIsLive))
    .orderBy(desc(sessions.createdAt), desc(sessions.id));
  return rows.map((row) => ({ ...row, current: row.id === currentSessionId }));
}

/** auth.sessions: the caller's own live sessions. */
export const listOwnSessions = ({ db }: { db: Database }, actor: Actor) => listLiveSessions(db, actor.userId, actor.sessionId);

/**
 * Ends one of the caller's own sessions (the current one too: that is signing
 * out). Another user's session, or one already ended, is NOT_FOUND: a session
 * id reveals nothing about whose it is.
 */
export async function revokeOwnSession({ db }: { db: Database }, actor: Actor, input: { sessionId: string }, origin: AuditOrigin) {
  await db.transaction(async (tx) => {
    const revoked = await tx
      .update(sessions)
      .set({ revokedAt: sql`now()`, revokedReason: "logout" })
      .where(and(eq(sessions.id, input.sessionId), eq(sessions.userId, actor.userId), sessionIsLive))
      .returning({ id: sessions.id });
    if (revoked.length === 0) throw sessionNotFound();
    await recordAudit(tx, origin, {
      action: "auth.session.revoke",
      outcome: "success",
      actorId: actor.userId,
      targetUserId: actor.userId,
      detail: { sessionId: input.sessionId, current: input.sessionId === actor.sessionId },
    });
  });
}

/** users.sessions: one user's live sessions, for an admin (none is the admin's "current"). */
export async function listUserSessions({ db }: { db: Database }, actor: Actor, input: { id: string }) {
  await getUser(db, input.id);
  return listLiveSessions(db, input.id, actor.sessionId);
}

/** users.revokeSessions: signs a user out everywhere; answers how many live sessions ended. */
export async function adminRevokeSessions({ db }: { db: Database }, actor: Actor, input: { id: string }, origin: AuditOrigin) {
  return db.transaction(async (tx) => {
    await getUser(tx, input.id);
    const revoked = await tx
      .update(sessions)
      .set({ revokedAt: sql`now()`, revokedReason: "admin_revoke" })
      .where(and(eq(sessions.userId, input.id), sessionIsLive))
      .returning({ id: sessions.id });
    await endSingleSignOn(tx, input.id);
    await recordAudit(tx, origin, {
      action: "admin.user.sessions.revoke",
      outcome: "success",
      actorId: actor.userId,
      targetUserId: input.id,
      detail: { revoked: revoked.length },
    });
    return { revoked: revoked.length };
  });
}
