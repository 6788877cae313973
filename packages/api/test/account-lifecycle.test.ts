import { and, eq, or } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { auditEvents, loginFailures, sessions, users } from "@voiceassist/db";

import { emailHash } from "../src/services/login-failures";
import { tokenPair } from "@voiceassist/testing/users";

import { PASSWORD, procedureHarness, type ProcedureHarness } from "./support";

/** The tRPC code and the contract's reason of a refused call ("OK" when it went through). */
const outcomeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => ({ code: "OK" }),
    (error: { code?: string; cause?: { reason?: string } }) => ({ code: error.code ?? "NO_CODE", reason: error.cause?.reason }),
  );

let h: ProcedureHarness;
beforeAll(async () => {
  h = await procedureHarness();
});
afterAll(() => h?.destroy());

const eventsOf = (userId: string, action?: string) =>
  h.db
    .select()
    .from(auditEvents)
    .where(
      and(or(eq(auditEvents.actorId, userId), eq(auditEvents.targetUserId, userId)), action ? eq(auditEvents.action, action) : undefined),
    );

describe("delete, restore and erase", () => {
  it("delete sets deletedAt and ends sessions; ticking Active is refused with USE_RESTORE; restore brings the user back", async () => {
    const admin = await h.signUp({ admin: true });
    const user = await h.signUp();
    const deleted = await admin.as.users.delete({ id: user.user.id });
    expect(deleted.isActive).toBe(false);
    expect(deleted.deletedAt).toBeInstanceOf(Date);
    expect((await outcomeOf(user.as.auth.me())).code).toBe("UNAUTHORIZED");

    // Repeating the delete keeps the first deletedAt.
    expect((await admin.as.users.delete({ id: user.user.id })).deletedAt).toEqual(deleted.deletedAt);

    expect(await outcomeOf(admin.as.users.update({ id: user.user.id, isActive: true }))).toEqual({
      code: "BAD_REQUEST",
      reason: "USE_RESTORE",
    });
    expect(await admin.as.users.byId({ id: user.user.id })).toMatchObject({ isActive: false, deletedAt: deleted.deletedAt });

    const restored = await admin.as.users.restore({ id: user.user.id });
    expect(restored).toMatchObject({ isActive: true, deletedAt: null });
    expect(tokenPair(await h.caller().auth.login({ email: user.email, password: PASSWORD })).user.id).toBe(user.user.id);
    expect(await eventsOf(user.user.id, "admin.user.restore")).toHaveLength(1);

    // Restoring a user who is not deleted changes nothing and records nothing.
    await admin.as.users.restore({ id: user.user.id });
    expect(await eventsOf(user.user.id, "admin.user.restore")).toHaveLength(1);
  });

  it("a deactivated (not deleted) user is still reactivated by isActive: true", async () => {
    const admin = await h.signUp({ admin: true });
    const user = await h.signUp();
    await admin.as.users.update({ id: user.user.id, isActive: false });
    expect(await admin.as.users.update({ id: user.user.id, isActive: true })).toMatchObject({ isActive: true, deletedAt: null });
  });

  it("erase needs a deleted user and the email repeated, then leaves placeholders and an id-only audit trail", async () => {
    const admin = await h.signUp({ admin: true });
    const user = await h.signUp();
    await admin.as.users.update({ id: user.user.id, fullName: "Grace Hopper" });
    await user.as.users.updateMe({ fullName: "Grace B. Hopper" });
    // A refused sign-in names the email in its detail.
    await outcomeOf(h.caller().auth.login({ email: user.email, password: "wrong-password-1" }));

    expect((await outcomeOf(admin.as.users.erase({ id: user.user.id, confirmEmail: user.email }))).code).toBe("BAD_REQUEST");
    await admin.as.users.delete({ id: user.user.id });
    expect((await outcomeOf(admin.as.users.erase({ id: user.user.id, confirmEmail: "other@example.com" }))).code).toBe("BAD_REQUEST");
    expect((await admin.as.users.byId({ id: user.user.id })).email).toBe(user.email);
    expect((await outcomeOf(admin.as.users.erase({ id: crypto.randomUUID(), confirmEmail: user.email }))).code).toBe("NOT_FOUND");

    expect(await admin.as.users.erase({ id: user.user.id, confirmEmail: user.email.toUpperCase() })).toEqual({ success: true });

    const [row] = await h.db.select().from(users).where(eq(users.id, user.user.id));
    expect(row).toMatchObject({
      email: `erased-${user.user.id}@erased.invalid`,
      fullName: null,
      hashedPassword: null,
      pendingEmail: null,
      mfaEnabled: false,
      isActive: false,
      isAdmin: false,
    });
    expect(row?.erasedAt).toBeInstanceOf(Date);
    expect(await h.db.select().from(sessions).where(eq(sessions.userId, user.user.id))).toEqual([]);
    expect(
      await h.db
        .select()
        .from(loginFailures)
        .where(eq(loginFailures.emailHash, emailHash(user.email))),
    ).toEqual([]);

    const trail = JSON.stringify(await h.db.select().from(auditEvents));
    expect(trail).not.toContain(user.email);
    expect(trail).not.toContain("Grace");
    const events = await eventsOf(user.user.id);
    expect(events.map((e) => e.action)).toEqual(
      expect.arrayContaining(["admin.user.update", "user.update", "auth.login", "admin.user.erase"]),
    );
    const update = events.find((e) => e.action === "admin.user.update" && e.detail && "changes" in e.detail);
    expect(update?.detail).toEqual({ changes: { fullName: "[erased]" } });

    expect((await outcomeOf(admin.as.users.restore({ id: user.user.id }))).code).toBe("BAD_REQUEST");
    expect((await outcomeOf(h.caller().auth.login({ email: user.email, password: PASSWORD }))).code).toBe("UNAUTHORIZED");
  });

  it("restore racing erase: exactly one wins, and an erased user is never active (15 rounds)", async () => {
    const admin = await h.signUp({ admin: true });
    for (let round = 0; round < 15; round++) {
      const user = await h.signUp();
      await admin.as.users.delete({ id: user.user.id });
      const [restored, erased] = await Promise.all([
        outcomeOf(admin.as.users.restore({ id: user.user.id })),
        outcomeOf(admin.as.users.erase({ id: user.user.id, confirmEmail: user.email })),
      ]);
      expect([restored.code, erased.code].sort()).toEqual(["BAD_REQUEST", "OK"]);
      const [row] = await h.db.select().from(users).where(eq(users.id, user.user.id));
      if (erased.code === "OK") expect(row).toMatchObject({ isActive: false, fullName: null, hashedPassword: null });
      else expect(row).toMatchObject({ isActive: true, deletedAt: null, erasedAt: null, email: user.email });
    }
  });

  it("the last-admin and self guards still hold for delete", async () => {
    const fresh = await procedureHarness();
    try {
      const only = await fresh.signUp({ admin: true });
      expect((await outcomeOf(only.as.users.delete({ id: only.user.id }))).code).toBe("BAD_REQUEST");
      expect((await outcomeOf(only.as.users.update({ id: only.user.id, isActive: false }))).code).toBe("BAD_REQUEST");
    } finally {
      await fresh.destroy();
    }
  });
});

describe("a save that changes nothing", () => {
  it("writes no audit event (admin update and updateMe), while a real change writes one with only what changed", async () => {
    const admin = await h.signUp({ admin: true });
    const user = await h.signUp();
    await admin.as.users.update({ id: user.user.id, fullName: "Same Name" });
    const before = (await eventsOf(user.user.id, "admin.user.update")).length;
    const unchanged = await admin.as.users.update({ id: user.user.id, fullName: "Same Name", email: user.email, isActive: true });
    expect(unchanged.fullName).toBe("Same Name");
    expect(await eventsOf(user.user.id, "admin.user.update")).toHaveLength(before);

    await admin.as.users.update({ id: user.user.id, fullName: "Same Name", isAdmin: true });
    const latest = (await eventsOf(user.user.id, "admin.user.update")).map((e) => e.detail);
    expect(latest).toContainEqual({ changes: { isAdmin: true } });

    await user.as.users.updateMe({ fullName: "Mine" });
    const mine = (await eventsOf(user.user.id, "user.update")).length;
    await user.as.users.updateMe({ fullName: "Mine" });
    expect(await eventsOf(user.user.id, "user.update")).toHaveLength(mine);
  });
});

describe("sessions", () => {
  it("auth.sessions lists the caller's live sessions newest first and marks the current one", async () => {
    const me = await h.signUp();
    const second = tokenPair(await h.caller({ userAgent: "Second browser" }).auth.login({ email: me.email, password: PASSWORD }));
    const list = await me.as.auth.sessions();
    expect(list).toHaveLength(2);
    expect(list[0]).toMatchObject({ userAgent: "Second browser", current: false, mfa: false });
    expect(list[1]?.current).toBe(true);
    expect(Object.keys(list[0] ?? {}).sort()).toEqual(["createdAt", "current", "expiresAt", "id", "ip", "lastUsedAt", "mfa", "userAgent"]);
    expect(second.user.id).toBe(me.user.id);
  });

  it("auth.revokeSession ends one of mine; another user's session is NOT_FOUND and stays alive", async () => {
    const me = await h.signUp();
    const other = await h.signUp();
    const [otherSession] = await other.as.auth.sessions();
    expect((await outcomeOf(me.as.auth.revokeSession({ sessionId: otherSession?.id ?? "" }))).code).toBe("NOT_FOUND");
    expect((await outcomeOf(other.as.auth.me())).code).toBe("OK");

    const pair = tokenPair(await h.caller().auth.login({ email: me.email, password: PASSWORD }));
    const elsewhere = h.caller({ authorization: `Bearer ${pair.accessToken}` });
    const target = (await me.as.auth.sessions()).find((s) => !s.current);
    expect(await me.as.auth.revokeSession({ sessionId: target?.id ?? "" })).toEqual({ success: true });
    expect((await outcomeOf(elsewhere.auth.me())).code).toBe("UNAUTHORIZED");
    expect((await outcomeOf(me.as.auth.me())).code).toBe("OK");
    expect((await outcomeOf(me.as.auth.revokeSession({ sessionId: target?.id ?? "" }))).code).toBe("NOT_FOUND");
    expect(await eventsOf(me.user.id, "auth.session.revoke")).toHaveLength(1);
  });

  it("an admin sees a user's sessions and signs them out everywhere", async () => {
    const admin = await h.signUp({ admin: true });
    const user = await h.signUp();
    await h.caller().auth.login({ email: user.email, password: PASSWORD });
    const listed = await admin.as.users.sessions({ id: user.user.id });
    expect(listed).toHaveLength(2);
    expect(listed.every((s) => !s.current)).toBe(true);
    expect(await admin.as.users.revokeSessions({ id: user.user.id })).toEqual({ revoked: 2 });
    expect((await outcomeOf(user.as.auth.me())).code).toBe("UNAUTHORIZED");
    expect(await admin.as.users.sessions({ id: user.user.id })).toEqual([]);
    expect(await admin.as.users.revokeSessions({ id: user.user.id })).toEqual({ revoked: 0 });
    expect((await eventsOf(user.user.id, "admin.user.sessions.revoke")).map((e) => e.detail)).toEqual(
      expect.arrayContaining([{ revoked: 2 }, { revoked: 0 }]),
    );
    expect((await outcomeOf(admin.as.users.sessions({ id: crypto.randomUUID() }))).code).toBe("NOT_FOUND");
  });
});

describe("users.list status and sort", () => {
  it("filters by non-overlapping status and sorts by email, last sign-in and creation", async () => {
    const fresh = await procedureHarness();
    try {
      const admin = await fresh.signUp({ admin: true });
      const a = await fresh.signUp();
      const b = await fresh.signUp();
      const c = await fresh.signUp();
      await admin.as.users.update({ id: a.user.id, isActive: false });
      await admin.as.users.delete({ id: b.user.id });
      await fresh.db.update(users).set({ invitedAt: new Date(), lastLogin: null }).where(eq(users.id, c.user.id));

      const ids = async (input: Parameters<typeof admin.as.users.list>[0]) => (await admin.as.users.list(input)).items.map((u) => u.id);
      expect(await ids({ status: "inactive" })).toEqual([a.user.id]);
      expect(await ids({ status: "deleted" })).toEqual([b.user.id]);
      expect(await ids({ status: "invited" })).toEqual([c.user.id]);
      expect(await ids({ status: "active" })).toEqual([admin.user.id]);
      expect((await admin.as.users.list({ status: "deleted" })).total).toBe(1);

      const all = (await admin.as.users.list()).items;
      const byEmail = [...all].sort((x, y) => x.email.localeCompare(y.email)).map((u) => u.id);
      expect(await ids({ sort: "email" })).toEqual([...byEmail].reverse());
      expect(await ids({ sort: "email", order: "asc" })).toEqual(byEmail);
      expect(await ids({ sort: "createdAt", order: "asc" })).toEqual(all.map((u) => u.id).reverse());

      // Never signed in: last when newest sign-ins come first, first in ascending order.
      const lastDesc = await ids({ sort: "lastLogin" });
      expect(lastDesc.at(-1)).toBe(c.user.id);
      expect((await ids({ sort: "lastLogin", order: "asc" }))[0]).toBe(c.user.id);
    } finally {
      await fresh.destroy();
    }
  });
});

describe("audit.list and audit.export", () => {
  it("names actor and target by their current email and filters by user, outcome and dates", async () => {
    const admin = await h.signUp({ admin: true });
    const user = await h.signUp();
    await admin.as.users.update({ id: user.user.id, fullName: "Named Person" });
    await outcomeOf(h.caller().auth.login({ email: user.email, password: "wrong-password-1" }));

    const bySearch = await admin.as.audit.list({ userSearch: user.email.slice(0, 20).toUpperCase() });
    const update = bySearch.items.find((e) => e.action === "admin.user.update");
    expect(update).toMatchObject({ actorEmail: admin.email, targetEmail: user.email, targetName: "Named Person" });
    expect(bySearch.items.every((e) => e.actorId === user.user.id || e.targetUserId === user.user.id)).toBe(true);
    // The name is searched too (users.search_text follows the update); U+001F, the separator
    // between email and name there, is refused so no term matches across them.
    const byName = await admin.as.audit.list({ userId: user.user.id, userSearch: "NAMED PERSON" });
    expect(byName.items.some((e) => e.action === "admin.user.update" && e.targetUserId === user.user.id)).toBe(true);
    expect((await outcomeOf(admin.as.audit.list({ userSearch: `${user.email}\u001fnamed` }))).code).toBe("BAD_REQUEST");

    const failures = await admin.as.audit.list({ userId: user.user.id, outcome: "failure" });
    expect(failures.items.map((e) => e.action)).toEqual(["auth.login"]);

    const future = new Date(Date.now() + 3600_000);
    expect((await admin.as.audit.list({ userId: user.user.id, from: future })).total).toBe(0);
    expect((await admin.as.audit.list({ userId: user.user.id, to: new Date(0) })).total).toBe(0);
    const all = await admin.as.audit.list({ userId: user.user.id, from: new Date(Date.now() - 3600_000), to: future });
    expect(all.total).toBe((await admin.as.audit.list({ userId: user.user.id })).total);
    expect((await outcomeOf(admin.as.audit.list({ from: future, to: new Date(0) }))).code).toBe("BAD_REQUEST");
    expect((await admin.as.audit.list({ userSearch: "%" })).total).toBe(0);
  });

  it("exports the filtered events as CSV, with formula cells defused", async () => {
    const admin = await h.signUp({ admin: true });
    const user = await h.signUp();
    await admin.as.users.update({ id: user.user.id, fullName: '=HYPERLINK("http://evil")' });
    const out = await admin.as.audit.export({ userId: user.user.id, action: "admin.user.update" });
    expect(out.rows).toBe(1);
    expect(out.truncated).toBe(false);
    expect(out.filename).toMatch(/^audit-\d{8}-\d{6}\.csv$/);
    const [header, line, rest] = out.csv.split("\r\n");
    expect(header).toBe(
      '"at","action","outcome","actor_email","actor_name","actor_id","target_email","target_name","target_id","ip","user_agent","request_id","detail"',
    );
    expect(line).toContain(`"${admin.email}"`);
    expect(line).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(rest).toBe("");
  });
});
