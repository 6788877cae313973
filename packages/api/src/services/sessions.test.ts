import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { sessions, users } from "@voiceassist/db";
import { createTestDatabase, type TestDatabase } from "@voiceassist/db/testing";

import { createSession, deleteStaleSessions, findSessionUser, hashJti, revokeSession, rotateRefreshToken } from "./sessions";

describe("sessions", () => {
  let testDb: TestDatabase;
  let userId: string;
  const meta = { ip: "192.0.2.7", userAgent: "vitest" };
  const inAWeek = () => new Date(Date.now() + 7 * 86400_000);
  beforeAll(async () => {
    testDb = await createTestDatabase();
    const [user] = await testDb.handle.db.insert(users).values({ email: "s@example.com", hashedPassword: "x" }).returning();
    userId = user!.id;
  });
  afterAll(() => testDb?.destroy());

  it("stores only a hash of the refresh jti", async () => {
    const { sessionId, refreshJti } = await createSession(testDb.handle.db, userId, inAWeek(), meta);
    const [row] = await testDb.handle.db.select().from(sessions).where(eq(sessions.id, sessionId));
    expect(row!.refreshJtiHash).toBe(hashJti(refreshJti));
    expect(JSON.stringify(row)).not.toContain(refreshJti);
  });

  it("rotation: current jti rotates once; the old one is then reuse and revokes the session", async () => {
    const db = testDb.handle.db;
    const { sessionId, refreshJti } = await createSession(db, userId, inAWeek(), meta);
    const claims = { sid: sessionId, sub: userId, jti: refreshJti };
    const first = await rotateRefreshToken(db, claims, inAWeek());
    expect(first.status).toBe("rotated");
    expect(await rotateRefreshToken(db, claims, inAWeek())).toEqual({ status: "reused" });
    expect(await findSessionUser(db, sessionId, userId)).toBeNull();
    // After revocation even the newest jti is dead, and nothing is "reuse" any more.
    const newest = { ...claims, jti: (first as { refreshJti: string }).refreshJti };
    expect(await rotateRefreshToken(db, newest, inAWeek())).toEqual({ status: "invalid" });
  });

  it("a session of another user is never rotated or revoked by a stranger's claims", async () => {
    const db = testDb.handle.db;
    const { sessionId } = await createSession(db, userId, inAWeek(), meta);
    const stranger = { sid: sessionId, sub: crypto.randomUUID(), jti: crypto.randomUUID() };
    expect(await rotateRefreshToken(db, stranger, inAWeek())).toEqual({ status: "invalid" });
    expect(await findSessionUser(db, sessionId, userId)).not.toBeNull();
  });

  it("sweeps sessions that expired or were revoked more than a day ago, keeps the rest", async () => {
    const db = testDb.handle.db;
    const live = await createSession(db, userId, inAWeek(), meta);
    const longExpired = await createSession(db, userId, new Date(Date.now() - 2 * 86400_000), meta);
    const recentlyRevoked = await createSession(db, userId, inAWeek(), meta);
    await revokeSession(db, recentlyRevoked.sessionId, "logout");
    const oldRevoked = await createSession(db, userId, inAWeek(), meta);
    await db.update(sessions).set({ revokedAt: new Date(Date.now() - 2 * 86400_000) }).where(eq(sessions.id, oldRevoked.sessionId));

    expect(await deleteStaleSessions(db)).toBeGreaterThanOrEqual(2);
    const left = new Set((await db.select({ id: sessions.id }).from(sessions)).map((r) => r.id));
    expect(left.has(live.sessionId)).toBe(true);
    expect(left.has(recentlyRevoked.sessionId)).toBe(true);
    expect(left.has(longExpired.sessionId)).toBe(false);
    expect(left.has(oldRevoked.sessionId)).toBe(false);
  });
});
