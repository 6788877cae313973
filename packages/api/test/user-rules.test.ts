import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { users } from "@voiceassist/db";
import { tokenPair } from "@voiceassist/testing/users";

import { PASSWORD, procedureHarness, type Caller, type ProcedureHarness } from "./support";

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => "OK",
    (error: { code?: string }) => error.code ?? "NO_CODE",
  );

/** Strict inputs are typed; these tests send what the types forbid, as a hostile client would. */
const loose = <T>(value: unknown) => value as T;

describe("procedure rules", () => {
  let h: ProcedureHarness;
  beforeAll(async () => {
    h = await procedureHarness();
  });
  afterAll(() => h?.destroy());

  const row = async (id: string) =>
    (
      await h.db
        .select({ isAdmin: users.isAdmin, isActive: users.isActive, credentialsVersion: users.credentialsVersion })
        .from(users)
        .where(eq(users.id, id))
    )[0];

  describe("mass assignment: an unknown or privileged key is refused, and nothing changes", () => {
    it.each([
      ["isAdmin", true],
      ["isActive", false],
      ["id", crypto.randomUUID()],
      ["hashedPassword", "x"],
      ["role", "admin"],
      ["credentialsVersion", 9],
    ])("users.updateMe with %s", async (key, value) => {
      const me = await h.signUp();
      expect(await codeOf(me.as.users.updateMe(loose({ fullName: "Changed", [key]: value })))).toBe("BAD_REQUEST");
      expect(await row(me.user.id)).toEqual({ isAdmin: false, isActive: true, credentialsVersion: 0 });
      expect((await me.as.users.me()).fullName).toBeNull();
    });

    it.each([
      ["isAdmin", true],
      ["isActive", false],
      ["role", "admin"],
    ])("auth.register with %s", async (key, value) => {
      const email = `mass-${crypto.randomUUID()}@example.com`;
      expect(await codeOf(h.caller().auth.register(loose({ email, password: PASSWORD, [key]: value })))).toBe("BAD_REQUEST");
      expect(await h.db.select({ id: users.id }).from(users).where(eq(users.email, email))).toEqual([]);
    });

    it.each([
      ["hashedPassword", "x"],
      ["credentialsVersion", 9],
      ["role", "admin"],
      ["createdAt", new Date(0)],
    ])("users.update (admin) with %s", async (key, value) => {
      const admin = await h.signUp({ admin: true });
      const target = await h.signUp();
      expect(await codeOf(admin.as.users.update(loose({ id: target.user.id, fullName: "X", [key]: value })))).toBe("BAD_REQUEST");
      expect((await admin.as.users.byId({ id: target.user.id })).fullName).toBeNull();
    });

    it("auth.login with an extra key", async () => {
      const me = await h.signUp();
      expect(await codeOf(h.caller().auth.login(loose({ email: me.email, password: PASSWORD, isAdmin: true })))).toBe("BAD_REQUEST");
    });
  });

  describe("input guards", () => {
    it.each([
      ["users.byId: not a uuid", (c: Caller) => c.users.byId({ id: "123" })],
      ["users.list: limit above 100", (c: Caller) => c.users.list({ limit: 101 })],
      ["users.list: limit 0", (c: Caller) => c.users.list({ limit: 0 })],
      ["users.list: negative offset", (c: Caller) => c.users.list({ offset: -1 })],
      ["users.list: search over 255 characters", (c: Caller) => c.users.list({ search: "s".repeat(256) })],
      ["audit.list: empty action", (c: Caller) => c.audit.list({ action: " " })],
      ["audit.list: userId not a uuid", (c: Caller) => c.audit.list({ userId: "me" })],
      ["users.update: email not an email", (c: Caller) => c.users.update({ id: crypto.randomUUID(), email: "nope" })],
    ])("%s is BAD_REQUEST", async (_label, send) => {
      const admin = await h.signUp({ admin: true });
      expect(await codeOf(send(admin.as))).toBe("BAD_REQUEST");
    });

    it("an unknown user id is NOT_FOUND for byId, update and delete", async () => {
      const admin = await h.signUp({ admin: true });
      const id = crypto.randomUUID();
      expect(await codeOf(admin.as.users.byId({ id }))).toBe("NOT_FOUND");
      expect(await codeOf(admin.as.users.update({ id, fullName: "x" }))).toBe("NOT_FOUND");
      expect(await codeOf(admin.as.users.delete({ id }))).toBe("NOT_FOUND");
    });

    it("register refuses a bad email, a short password and a 73-byte one; accepts 72 bytes", async () => {
      const email = () => `guard-${crypto.randomUUID()}@example.com`;
      expect(await codeOf(h.caller().auth.register({ email: "not-an-email", password: PASSWORD }))).toBe("BAD_REQUEST");
      expect(await codeOf(h.caller().auth.register({ email: email(), password: "short" }))).toBe("BAD_REQUEST");
      expect(await codeOf(h.caller().auth.register({ email: email(), password: "p".repeat(73) }))).toBe("BAD_REQUEST");
      expect(await codeOf(h.caller().auth.register({ email: email(), password: "é".repeat(37) }))).toBe("BAD_REQUEST");
      const ok = email();
      await h.caller().auth.register({ email: ok, password: "p".repeat(72) });
      expect(tokenPair(await h.caller().auth.login({ email: ok, password: "p".repeat(72) })).user.email).toBe(ok);
    });
  });

  describe("an admin acting on themselves", () => {
    it("cannot demote, deactivate or delete themselves, even with another admin present", async () => {
      const admin = await h.signUp({ admin: true });
      await h.signUp({ admin: true }); // so only the self-guard can refuse
      const self = { id: admin.user.id };
      expect(await codeOf(admin.as.users.update({ ...self, isAdmin: false }))).toBe("BAD_REQUEST");
      expect(await codeOf(admin.as.users.update({ ...self, isActive: false }))).toBe("BAD_REQUEST");
      expect(await codeOf(admin.as.users.delete(self))).toBe("BAD_REQUEST");
      expect(await row(admin.user.id)).toMatchObject({ isAdmin: true, isActive: true });
    });
  });
});

/**
 * One call wins; the other is refused — by the last-admin guard when both
 * raced past authentication, or by authorization when the winner's change
 * landed first (the loser is no longer an active admin).
 */
function expectOneWinner(outcomes: string[]) {
  expect(outcomes.filter((o) => o === "OK")).toHaveLength(1);
  expect(["BAD_REQUEST", "FORBIDDEN", "UNAUTHORIZED"]).toContain(outcomes.find((o) => o !== "OK"));
}

describe("the last active admin", () => {
  // A fresh database per test: exactly the admins each test makes.
  let h: ProcedureHarness;
  beforeEach(async () => {
    h = await procedureHarness();
  });
  afterEach(() => h?.destroy());

  const countActiveAdmins = async () => {
    const rows = await h.db.select({ isAdmin: users.isAdmin, isActive: users.isActive }).from(users);
    return rows.filter((r) => r.isAdmin && r.isActive).length;
  };

  it("survives two admins demoting each other at the same time", async () => {
    const a = await h.signUp({ admin: true });
    const b = await h.signUp({ admin: true });
    expectOneWinner(
      await Promise.all([
        codeOf(a.as.users.update({ id: b.user.id, isAdmin: false })),
        codeOf(b.as.users.update({ id: a.user.id, isAdmin: false })),
      ]),
    );
    expect(await countActiveAdmins()).toBe(1);
  });

  it("survives two admins deleting each other at the same time", async () => {
    const a = await h.signUp({ admin: true });
    const b = await h.signUp({ admin: true });
    expectOneWinner(await Promise.all([codeOf(a.as.users.delete({ id: b.user.id })), codeOf(b.as.users.delete({ id: a.user.id }))]));
    expect(await countActiveAdmins()).toBe(1);
  });

  it("can demote another admin while a second one remains, and never themselves", async () => {
    const a = await h.signUp({ admin: true });
    const b = await h.signUp({ admin: true });
    expect(await codeOf(a.as.users.update({ id: b.user.id, isAdmin: false }))).toBe("OK");
    expect(await codeOf(a.as.users.update({ id: a.user.id, isAdmin: false }))).toBe("BAD_REQUEST");
    expect(await countActiveAdmins()).toBe(1);
  });
});
