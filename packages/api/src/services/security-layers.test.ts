import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { auditEvents, users } from "@voiceassist/db";
import { createTestDatabase, type TestDatabase } from "@voiceassist/testing/database";

import { createContext, type ApiDeps } from "../context";
import { createCaller } from "../root";
import { adminDeleteUser, adminUpdateUser, guardLastAdmin } from "./admin-users";
import { deleteExpiredAuditEvents } from "./audit";
import { testApiDeps } from "../../test/support";
import { createPasswordHasher, type PasswordHasher } from "./passwords";

/**
 * Security rules that another layer used to hide: each is tested here on its
 * own, so removing it fails a test even while the other layer still holds.
 */
const origin = { ip: "192.0.2.5", userAgent: "vitest", requestId: "req-layers" };

/** A real hasher that counts which kind of bcrypt compare ran. */
function countingHasher(): PasswordHasher & { verifies: number; dummies: number } {
  const real = createPasswordHasher(4);
  const counted = {
    verifies: 0,
    dummies: 0,
    hash: real.hash,
    verify: (password: string, hashed: string) => {
      counted.verifies++;
      return real.verify(password, hashed);
    },
    verifyDummy: (password: string) => {
      counted.dummies++;
      return real.verifyDummy(password);
    },
    forRequest: () => counted,
  };
  return counted;
}

describe("security layers, one at a time", () => {
  let testDb: TestDatabase;
  let deps: ApiDeps;
  let hasher: ReturnType<typeof countingHasher>;
  beforeAll(async () => {
    testDb = await createTestDatabase();
    hasher = countingHasher();
    deps = testApiDeps(testDb.handle.db, { passwords: hasher });
  });
  afterAll(() => testDb?.destroy());

  const caller = () =>
    createCaller(createContext(deps, { ...origin, ip: `192.0.2.${Math.floor(Math.random() * 250)}`, authorization: null }));
  const insertUser = async (values: { isAdmin?: boolean } = {}) => {
    const [row] = await testDb.handle.db
      .insert(users)
      .values({ email: `layer-${crypto.randomUUID()}@example.com`, hashedPassword: await hasher.hash("layer-password-1"), ...values })
      .returning();
    return row!;
  };

  it("an unknown email still runs one bcrypt compare (no enumeration by timing)", async () => {
    const before = { verifies: hasher.verifies, dummies: hasher.dummies };
    await expect(caller().auth.login({ email: "nobody-here@example.com", password: "layer-password-1" })).rejects.toMatchObject({
      code: "UNAUTHORIZED",
    });
    expect(hasher.dummies - before.dummies).toBe(1);
    expect(hasher.verifies - before.verifies).toBe(0);
  });

  it("a known email with a wrong password runs exactly one real compare", async () => {
    const user = await insertUser();
    const before = { verifies: hasher.verifies, dummies: hasher.dummies };
    await expect(caller().auth.login({ email: user.email, password: "not-the-password" })).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    expect(hasher.verifies - before.verifies).toBe(1);
    expect(hasher.dummies - before.dummies).toBe(0);
  });

  it("an admin demoted after the procedure's check cannot act inside the transaction", async () => {
    const actor = await insertUser({ isAdmin: true });
    await insertUser({ isAdmin: true }); // another admin, so the demotion is allowed
    const target = await insertUser();
    // adminProcedure has already let the actor through; the demotion lands before the service runs.
    await testDb.handle.db.update(users).set({ isAdmin: false }).where(eq(users.id, actor.id));
    const acting = { userId: actor.id, sessionId: crypto.randomUUID() };
    await expect(adminDeleteUser(deps, acting, { id: target.id }, origin)).rejects.toMatchObject({ kind: "forbidden" });
    await expect(adminUpdateUser(deps, acting, { id: target.id, isActive: false }, origin)).rejects.toMatchObject({ kind: "forbidden" });
    const [after] = await testDb.handle.db.select({ isActive: users.isActive }).from(users).where(eq(users.id, target.id));
    expect(after!.isActive).toBe(true);
  });

  it("the last-admin guard refuses on its own, whatever the driver serialises", () => {
    const only = crypto.randomUUID();
    expect(() => guardLastAdmin([only], only, { isAdmin: false })).toThrow(/last active admin/);
    expect(() => guardLastAdmin([only], only, { isActive: false })).toThrow(/last active admin/);
    expect(() => guardLastAdmin([only, crypto.randomUUID()], only, { isAdmin: false })).not.toThrow();
    expect(() => guardLastAdmin([only], only, { fullName: "x" })).not.toThrow();
  });

  it("audit retention deletes events older than the window and keeps the rest", async () => {
    const db = testDb.handle.db;
    const [old] = await db
      .insert(auditEvents)
      .values({ action: "auth.login", outcome: "success", at: sql`now() - interval '2191 days'` })
      .returning({ id: auditEvents.id });
    const [recent] = await db
      .insert(auditEvents)
      .values({ action: "auth.login", outcome: "success", at: sql`now() - interval '2189 days'` })
      .returning({ id: auditEvents.id });
    expect(await deleteExpiredAuditEvents(db, 2190)).toBeGreaterThanOrEqual(1);
    const left = new Set((await db.select({ id: auditEvents.id }).from(auditEvents)).map((r) => r.id));
    expect(left.has(old!.id)).toBe(false);
    expect(left.has(recent!.id)).toBe(true);
  });
});
