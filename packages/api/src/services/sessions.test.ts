import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { sessions, users } from "@voiceassist/db";
import { createTestDatabase, type TestDatabase } from "@voiceassist/testing/database";

import {
  advanceCredentials,
  createSession,
  deleteStaleSessions,
  findSessionUser,
  hashJti,
  revokeSession,
  rotateRefreshToken,
  type SessionPolicy,
} from "./sessions";

describe("sessions", () => {
  let testDb: TestDatabase;
  const meta = { ip: "192.0.2.7", userAgent: "vitest" };
  const policy: SessionPolicy = { refreshTtlSeconds: 7 * 86400, maxAgeSeconds: 30 * 86400, maxPerUser: 20 };
  const db = () => testDb.handle.db;
  /** A fresh user per test, so one test's sessions never count toward another's cap. */
  const newUser = async () => {
    const [user] = await db()
      .insert(users)
      .values({ email: `s-${crypto.randomUUID()}@example.com`, hashedPassword: "x" })
      .returning({ id: users.id, credentialsVersion: users.credentialsVersion });
    return user!;
  };
  beforeAll(async () => {
    testDb = await createTestDatabase();
  });
  afterAll(() => testDb?.destroy());

  it("stores only a hash of the refresh jti", async () => {
    const user = await newUser();
    const { sessionId, refreshJti } = await createSession(db(), user, policy, meta);
    const [row] = await db().select().from(sessions).where(eq(sessions.id, sessionId));
    expect(row!.refreshJtiHash).toBe(hashJti(refreshJti));
    expect(JSON.stringify(row)).not.toContain(refreshJti);
  });

  it("rotation: current jti rotates once; the old one is then reuse and revokes the session", async () => {
    const user = await newUser();
    const { sessionId, refreshJti } = await createSession(db(), user, policy, meta);
    const claims = { sid: sessionId, sub: user.id, jti: refreshJti };
    const first = await rotateRefreshToken(db(), claims, policy);
    expect(first.status).toBe("rotated");
    expect(await rotateRefreshToken(db(), claims, policy)).toEqual({ status: "reused" });
    expect(await findSessionUser(db(), sessionId, user.id)).toBeNull();
    // After revocation even the newest jti is dead, and nothing is "reuse" any more.
    const newest = { ...claims, jti: (first as { refreshJti: string }).refreshJti };
    expect(await rotateRefreshToken(db(), newest, policy)).toEqual({ status: "invalid" });
  });

  it("a session of another user is never rotated or revoked by a stranger's claims", async () => {
    const user = await newUser();
    const { sessionId } = await createSession(db(), user, policy, meta);
    const stranger = { sid: sessionId, sub: crypto.randomUUID(), jti: crypto.randomUUID() };
    expect(await rotateRefreshToken(db(), stranger, policy)).toEqual({ status: "invalid" });
    expect(await findSessionUser(db(), sessionId, user.id)).not.toBeNull();
  });

  it("refreshing never extends a session past its absolute lifetime", async () => {
    const user = await newUser();
    const { sessionId, refreshJti } = await createSession(db(), user, policy, meta);
    // Signed in 29 days ago: one day of absolute lifetime is left, less than a 7-day refresh.
    await db().update(sessions).set({ createdAt: sql`now() - interval '29 days'` }).where(eq(sessions.id, sessionId));
    expect((await rotateRefreshToken(db(), { sid: sessionId, sub: user.id, jti: refreshJti }, policy)).status).toBe("rotated");
    const [row] = await db().select().from(sessions).where(eq(sessions.id, sessionId));
    const absoluteEnd = row!.createdAt.getTime() + policy.maxAgeSeconds * 1000;
    expect(row!.expiresAt.getTime()).toBeLessThanOrEqual(absoluteEnd);
    expect(row!.expiresAt.getTime()).toBeLessThan(Date.now() + 2 * 86400_000);
  });

  it("a session made under old credentials is dead for calls and refresh, even if never revoked", async () => {
    const user = await newUser();
    const { sessionId, refreshJti } = await createSession(db(), user, policy, meta);
    await advanceCredentials(db(), user.id);
    expect(await findSessionUser(db(), sessionId, user.id)).toBeNull();
    expect(await rotateRefreshToken(db(), { sid: sessionId, sub: user.id, jti: refreshJti }, policy)).toEqual({ status: "invalid" });
  });

  it("advancing credentials carries the kept session over and kills the others", async () => {
    const user = await newUser();
    const kept = await createSession(db(), user, policy, meta);
    const other = await createSession(db(), user, policy, meta);
    await advanceCredentials(db(), user.id, kept.sessionId);
    expect(await findSessionUser(db(), kept.sessionId, user.id)).not.toBeNull();
    expect(await findSessionUser(db(), other.sessionId, user.id)).toBeNull();
  });

  it("a refresh for a deactivated user is refused by the rotation statement itself", async () => {
    const user = await newUser();
    const { sessionId, refreshJti } = await createSession(db(), user, policy, meta);
    // Deactivated directly: no revocation, no version change; only the isActive check can refuse.
    await db().update(users).set({ isActive: false }).where(eq(users.id, user.id));
    expect(await rotateRefreshToken(db(), { sid: sessionId, sub: user.id, jti: refreshJti }, policy)).toEqual({ status: "invalid" });
  });

  it("signing in past the cap revokes the oldest live sessions", async () => {
    const user = await newUser();
    const small = { ...policy, maxPerUser: 3 };
    const made = [];
    for (let i = 0; i < 5; i++) made.push(await createSession(db(), user, small, meta));
    const live = await Promise.all(made.map((s) => findSessionUser(db(), s.sessionId, user.id)));
    expect(live.map((u) => u !== null)).toEqual([false, false, true, true, true]);
  });

  it("sweeps sessions that expired or were revoked more than a day ago, keeps the rest", async () => {
    const user = await newUser();
    const live = await createSession(db(), user, policy, meta);
    const longExpired = await createSession(db(), user, policy, meta);
    await db()
      .update(sessions)
      .set({ expiresAt: new Date(Date.now() - 2 * 86400_000) })
      .where(eq(sessions.id, longExpired.sessionId));
    const recentlyRevoked = await createSession(db(), user, policy, meta);
    await revokeSession(db(), recentlyRevoked.sessionId, "logout");
    const oldRevoked = await createSession(db(), user, policy, meta);
    await db()
      .update(sessions)
      .set({ revokedAt: new Date(Date.now() - 2 * 86400_000) })
      .where(eq(sessions.id, oldRevoked.sessionId));

    expect(await deleteStaleSessions(db())).toBeGreaterThanOrEqual(2);
    const left = new Set((await db().select({ id: sessions.id }).from(sessions)).map((r) => r.id));
    expect(left.has(live.sessionId)).toBe(true);
    expect(left.has(recentlyRevoked.sessionId)).toBe(true);
    expect(left.has(longExpired.sessionId)).toBe(false);
    expect(left.has(oldRevoked.sessionId)).toBe(false);
  });
});
