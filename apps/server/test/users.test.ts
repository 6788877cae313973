import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startTestServer, type TestServer } from "@voiceassist/testing/server";
import { clientFrom, codeOf, PASSWORD, post, signIn, signUp, signUpAdmin, uniqueEmail } from "@voiceassist/testing/users";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

describe("self-service", () => {
  it("users.me returns the caller; updateMe changes the name (trimmed) and refuses email", async () => {
    const me = await signUp(server, { fullName: "Old Name" });
    expect((await me.client.users.me.query()).fullName).toBe("Old Name");
    const updated = await me.client.users.updateMe.mutate({ fullName: "  New Name " });
    expect(updated).toMatchObject({ fullName: "New Name", email: me.email });
    expect(updated.updatedAt.getTime()).toBeGreaterThan(me.user.updatedAt.getTime());
    expect((await me.client.users.updateMe.mutate({ fullName: null })).fullName).toBeNull();
    // Email changes need the password and a confirmation link (users.requestEmailChange).
    const smuggled = { fullName: "X", email: uniqueEmail("new") } as { fullName: string };
    expect(await codeOf(me.client.users.updateMe.mutate(smuggled))).toBe("BAD_REQUEST");
    expect((await me.client.users.me.query()).email).toBe(me.email);
  });

  it("changePassword: wrong current is BAD_REQUEST; success revokes other sessions, keeps this one", async () => {
    const me = await signUp(server);
    const elsewhere = await signIn(server, me.email);
    expect(
      await codeOf(me.client.users.changePassword.mutate({ currentPassword: "not-my-password", newPassword: "another-good-pw" })),
    ).toBe("BAD_REQUEST");
    expect(await codeOf(me.client.users.changePassword.mutate({ currentPassword: PASSWORD, newPassword: "p".repeat(73) }))).toBe(
      "BAD_REQUEST",
    );
    expect(await me.client.users.changePassword.mutate({ currentPassword: PASSWORD, newPassword: "another-good-pw" })).toEqual({
      success: true,
    });
    expect(await codeOf(me.client.auth.me.query())).toBe("OK");
    expect(await codeOf(elsewhere.client.auth.me.query())).toBe("UNAUTHORIZED");
    expect(await codeOf(clientFrom(server).auth.refresh.mutate({ refreshToken: elsewhere.tokens.refreshToken }))).toBe("UNAUTHORIZED");
    expect(await codeOf(signIn(server, me.email, PASSWORD))).toBe("UNAUTHORIZED");
    expect((await signIn(server, me.email, "another-good-pw")).user.id).toBe(me.user.id);
  });
});

// Access, mass assignment, input guards and the self/last-admin guards: packages/api/test (createCaller).
describe("admin procedures", () => {
  it("update edits profile and roles, and email conflicts are CONFLICT", async () => {
    const admin = await signUpAdmin(server);
    const user = await signUp(server);
    const other = await signUp(server);
    const updated = await admin.client.users.update.mutate({ id: user.user.id, fullName: "Dr. Who", isAdmin: true });
    expect(updated).toMatchObject({ fullName: "Dr. Who", isAdmin: true });
    expect(await codeOf(user.client.users.list.query())).toBe("OK"); // promoted on the next call
    expect(await codeOf(admin.client.users.update.mutate({ id: user.user.id, email: other.email }))).toBe("CONFLICT");
  });

  it("delete is a soft delete: row kept, sessions revoked, login refused, repeating is harmless", async () => {
    const admin = await signUpAdmin(server);
    const user = await signUp(server);
    const deleted = await admin.client.users.delete.mutate({ id: user.user.id });
    expect(deleted).toMatchObject({ id: user.user.id, isActive: false });
    expect(await codeOf(user.client.auth.me.query())).toBe("UNAUTHORIZED");
    expect(await codeOf(clientFrom(server).auth.refresh.mutate({ refreshToken: user.tokens.refreshToken }))).toBe("UNAUTHORIZED");
    expect(await codeOf(signIn(server, user.email))).toBe("UNAUTHORIZED");
    expect(await admin.client.users.delete.mutate({ id: user.user.id })).toMatchObject({ isActive: false });
    expect((await admin.client.users.byId.query({ id: user.user.id })).email).toBe(user.email);
  });
});

describe("users.list", () => {
  let admin: Awaited<ReturnType<typeof signUpAdmin>>;
  const tag = `t${Date.now().toString(36)}`;
  beforeAll(async () => {
    admin = await signUpAdmin(server);
    const reg = (email: string, fullName?: string) => clientFrom(server).auth.register.mutate({ email, password: PASSWORD, fullName });
    await reg(`${tag}-plain@example.com`, `Plain Person ${tag}`);
    await reg(`${tag}-percent@example.com`, `${tag} 100% Sure`);
    await reg(`${tag}-under@example.com`, `${tag} Under_Score`);
    await reg(`${tag}-back@example.com`, `${tag} Back\\Slash`);
    await reg(`${tag}-x@example.com`, "Zed Ã Accent");
  });

  it("searches email and full name case-insensitively", async () => {
    const byEmail = await admin.client.users.list.query({ search: `${tag.toUpperCase()}-PLAIN` });
    expect(byEmail.items.map((u) => u.email)).toEqual([`${tag}-plain@example.com`]);
    const byName = await admin.client.users.list.query({ search: `PLAIN person ${tag.toUpperCase()}` });
    expect(byName.items.map((u) => u.email)).toEqual([`${tag}-plain@example.com`]);
  });

  it("matches %, _ and \\ literally", async () => {
    const percent = await admin.client.users.list.query({ search: "100% s" });
    expect(percent.items.map((u) => u.email)).toEqual([`${tag}-percent@example.com`]);
    // Unescaped, "r_s" would also match "Under Score"-like names and "%" would match everyone.
    const underscore = await admin.client.users.list.query({ search: "r_s" });
    expect(underscore.items.map((u) => u.email)).toEqual([`${tag}-under@example.com`]);
    const anyPercent = await admin.client.users.list.query({ search: "%", limit: 100 });
    expect(anyPercent.items.every((u) => u.fullName?.includes("%"))).toBe(true);
    const backslash = await admin.client.users.list.query({ search: "back\\slash" });
    expect(backslash.items.map((u) => u.email)).toEqual([`${tag}-back@example.com`]);
    expect((await admin.client.users.list.query({ search: "back_slash" })).total).toBe(0);
  });

  it("never matches across the end of an email and the start of a name, and follows a changed name", async () => {
    // Email and name are searched as one stored text (users.search_text) with U+001F between them.
    const spanning = await admin.client.users.list.query({ search: "example.complain person" });
    expect(spanning.total).toBe(0);
    expect((await admin.client.users.list.query({ search: "example.com" })).total).toBeGreaterThanOrEqual(5);
    for (const search of ["example.com\u001fplain", "\u001f"]) {
      const refused = admin.client.users.list.query({ search });
      expect(await codeOf(refused)).toBe("BAD_REQUEST");
      await expect(refused).rejects.toThrow("Must not contain the control character U+001F");
    }
    const target = (await admin.client.users.list.query({ search: `${tag}-back@` })).items[0]!;
    await admin.client.users.update.mutate({ id: target.id, fullName: `${tag} Renamed Once` });
    expect((await admin.client.users.list.query({ search: `${tag} renamed` })).items.map((u) => u.id)).toEqual([target.id]);
    expect((await admin.client.users.list.query({ search: "back\\slash" })).total).toBe(0);
    await admin.client.users.update.mutate({ id: target.id, fullName: `${tag} Back\\Slash` });
  });

  it("paginates newest first with a total", async () => {
    const page1 = await admin.client.users.list.query({ search: tag, limit: 2, offset: 0 });
    const page2 = await admin.client.users.list.query({ search: tag, limit: 2, offset: 2 });
    const page3 = await admin.client.users.list.query({ search: tag, limit: 2, offset: 4 });
    expect(page1.total).toBe(5);
    expect([page1, page2, page3].map((p) => p.items.length)).toEqual([2, 2, 1]);
    const all = [...page1.items, ...page2.items, ...page3.items];
    expect(new Set(all.map((u) => u.id)).size).toBe(5);
    const times = all.map((u) => u.createdAt.getTime());
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(all[0]!.email).toBe(`${tag}-x@example.com`);
    // A short page (page3) is totalled without a count; a full last page and one past the end are counted.
    expect(page3.total).toBe(5);
    expect(await admin.client.users.list.query({ search: tag, limit: 2, offset: 3 })).toMatchObject({ total: 5, totalIsEstimate: false });
    const beyond = await admin.client.users.list.query({ search: tag, limit: 2, offset: 10 });
    expect(beyond).toMatchObject({ items: [], total: 5, totalIsEstimate: false });
  });

  it("filters by isActive and validates limit/offset", async () => {
    const target = (await admin.client.users.list.query({ search: `${tag}-plain` })).items[0]!;
    await admin.client.users.update.mutate({ id: target.id, isActive: false });
    const inactive = await admin.client.users.list.query({ search: tag, isActive: false });
    expect(inactive.items.map((u) => u.id)).toEqual([target.id]);
    expect((await admin.client.users.list.query({ search: tag, isActive: true })).total).toBe(4);
    for (const bad of [{ limit: 0 }, { limit: 101 }, { limit: 1.5 }, { offset: -1 }]) {
      expect(await codeOf(admin.client.users.list.query(bad))).toBe("BAD_REQUEST");
    }
    expect((await admin.client.users.list.query()).items.length).toBeLessThanOrEqual(20);
  });
});

describe("audit trail", () => {
  it("records admin actions with actor and target, newest first, and no secrets anywhere", async () => {
    const admin = await signUpAdmin(server);
    const user = await signUp(server);
    await user.client.users.changePassword.mutate({ currentPassword: PASSWORD, newPassword: "second-password" });
    await admin.client.users.update.mutate({ id: user.user.id, fullName: "Renamed" });
    await admin.client.users.delete.mutate({ id: user.user.id });

    const { items, total } = await admin.client.audit.list.query({ userId: user.user.id });
    expect(total).toBeGreaterThanOrEqual(5);
    expect(items.map((e) => e.action).slice(0, 3)).toEqual(["admin.user.delete", "admin.user.update", "user.change_password"]);
    expect(items[0]).toMatchObject({ outcome: "success", actorId: admin.user.id, targetUserId: user.user.id });
    expect(items[0]!.at).toBeInstanceOf(Date);
    expect(items.map((e) => e.action)).toEqual(expect.arrayContaining(["auth.register", "auth.login"]));

    const everything = JSON.stringify((await admin.client.audit.list.query({ limit: 100 })).items);
    for (const secret of [PASSWORD, "second-password", user.tokens.accessToken, user.tokens.refreshToken, "$2b$", "$2a$"]) {
      expect(everything).not.toContain(secret);
    }
  });

  it("an event's requestId is the x-request-id of the response that caused it", async () => {
    const admin = await signUpAdmin(server);
    const user = await signUp(server);
    const { response } = await post(
      server,
      "users.update",
      { id: user.user.id, fullName: "Traced" },
      {
        authorization: `Bearer ${admin.tokens.accessToken}`,
        "x-request-id": "trace-me-123",
      },
    );
    expect(response.headers.get("x-request-id")).toBe("trace-me-123");
    const { items } = await admin.client.audit.list.query({ userId: user.user.id, action: "admin.user.update" });
    expect(items[0]).toMatchObject({ requestId: "trace-me-123", ip: expect.any(String) });
  });
});
