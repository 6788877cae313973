import { and, count, eq, isNotNull, isNull, type SQL } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createPasswordHasher } from "@voiceassist/api";
import { auditEvents, users } from "@voiceassist/db";
import { AUDIT_ACTIONS } from "@voiceassist/shared";
import { createTestDatabase, type TestDatabase } from "@voiceassist/testing/database";

import { DEMO_ADMIN_EMAIL, seedDemoClinic, SeedRefused, type SeedResult } from "../src/seed/demo-clinic";

describe("db:seed's demo clinic", () => {
  const passwords = createPasswordHasher(4);
  let database: TestDatabase;
  let result: SeedResult;
  beforeAll(async () => {
    database = await createTestDatabase();
    result = await seedDemoClinic(database.handle.db, passwords);
  });
  afterAll(() => database?.destroy());

  const countUsers = async (where?: SQL) => (await database.handle.db.select({ n: count() }).from(users).where(where))[0]!.n;

  it("has an admin whose printed password works, and thirty staff in every status", async () => {
    const [admin] = await database.handle.db.select().from(users).where(eq(users.email, DEMO_ADMIN_EMAIL));
    expect(admin).toMatchObject({ isAdmin: true, isActive: true, deletedAt: null });
    expect(await passwords.verify(result.admin.password, admin!.hashedPassword!)).toBe(true);
    expect(result.admin.password.length).toBeGreaterThanOrEqual(16);

    expect(await countUsers()).toBe(31);
    expect(await countUsers(and(isNull(users.deletedAt), isNull(users.invitedAt), eq(users.isActive, true)))).toBe(result.staff.active + 1);
    expect(await countUsers(and(isNull(users.deletedAt), eq(users.isActive, false)))).toBe(result.staff.inactive);
    expect(await countUsers(and(isNotNull(users.invitedAt), isNull(users.hashedPassword)))).toBe(result.staff.invited);
    expect(await countUsers(and(isNotNull(users.deletedAt), eq(users.isActive, false)))).toBe(result.staff.deleted);
    expect(result.staff).toEqual({ active: 20, inactive: 4, invited: 3, deleted: 3 });
    // Some staff have not verified their address yet.
    expect(await countUsers(and(isNull(users.emailVerifiedAt), isNull(users.invitedAt)))).toBeGreaterThan(0);

    const [staffer] = await database.handle.db
      .select()
      .from(users)
      .where(and(eq(users.isAdmin, false), isNotNull(users.hashedPassword)))
      .limit(1);
    expect(await passwords.verify(result.staffPassword, staffer!.hashedPassword!)).toBe(true);
  });

  it("has months of audit history, every event tied to a real account or none", async () => {
    const events = await database.handle.db.select().from(auditEvents);
    expect(events).toHaveLength(result.auditEvents);
    expect(events.length).toBeGreaterThan(150);
    const actions = new Set(events.map((e) => e.action));
    for (const action of [
      "auth.register",
      "auth.login",
      "user.update",
      "user.change_password",
      "admin.user.update",
      "admin.user.delete",
      "ratelimit.exceeded",
    ]) {
      expect(actions).toContain(action);
    }
    // Known names only: the list the server writes, plus the contract's invite.
    for (const action of actions) expect([...AUDIT_ACTIONS, "admin.user.invite"]).toContain(action);
    expect(events.some((e) => e.outcome === "failure")).toBe(true);
    const days = events.map((e) => e.at.getTime());
    expect(Math.max(...days) - Math.min(...days)).toBeGreaterThan(60 * 86_400_000);
    expect(Math.max(...days)).toBeLessThanOrEqual(Date.now());
    // Never a password or hash in an event.
    expect(JSON.stringify(events)).not.toContain(result.admin.password);
    expect(JSON.stringify(events)).not.toMatch(/\$2[aby]\$/);
  });

  it("refuses a database that has accounts, and changes nothing", async () => {
    const before = (await database.handle.db.select({ n: count() }).from(auditEvents))[0]!.n;
    await expect(seedDemoClinic(database.handle.db, passwords)).rejects.toThrow(SeedRefused);
    await expect(seedDemoClinic(database.handle.db, passwords)).rejects.toThrow(/already has 31 account\(s\)/);
    expect(await countUsers()).toBe(31);
    expect((await database.handle.db.select({ n: count() }).from(auditEvents))[0]!.n).toBe(before);
  });
});
