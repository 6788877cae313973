import { afterAll, beforeEach, describe, expect, it } from "vitest";

import { startTestServer, type TestServer } from "./support/server";
import { codeOf, signUpAdmin } from "./support/users";

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
  let server: TestServer;
  beforeEach(async () => {
    await server?.close();
    server = await startTestServer(); // a fresh database: exactly the admins each test makes
  });
  afterAll(() => server?.close());

  const activeAdmins = async (admin: Awaited<ReturnType<typeof signUpAdmin>>) =>
    (await admin.client.users.list.query({ isActive: true, limit: 100 })).items.filter((u) => u.isAdmin).length;

  it("survives two admins demoting each other at the same time", async () => {
    const a = await signUpAdmin(server);
    const b = await signUpAdmin(server);
    const outcomes = await Promise.all([
      codeOf(a.client.users.update.mutate({ id: b.user.id, isAdmin: false })),
      codeOf(b.client.users.update.mutate({ id: a.user.id, isAdmin: false })),
    ]);
    expectOneWinner(outcomes);
    // Whoever was demoted gets FORBIDDEN on admin procedures; the other still lists one admin.
    const aIsAdmin = (await a.client.users.me.query()).isAdmin;
    expect(await activeAdmins(aIsAdmin ? a : b)).toBe(1);
  });

  it("survives two admins deleting each other at the same time", async () => {
    const a = await signUpAdmin(server);
    const b = await signUpAdmin(server);
    const outcomes = await Promise.all([
      codeOf(a.client.users.delete.mutate({ id: b.user.id })),
      codeOf(b.client.users.delete.mutate({ id: a.user.id })),
    ]);
    expectOneWinner(outcomes);
    const meA = await codeOf(a.client.users.me.query());
    const survivor = meA === "OK" ? a : b;
    expect(await activeAdmins(survivor)).toBe(1);
  });

  it("can demote another admin while a second one remains", async () => {
    const a = await signUpAdmin(server);
    const b = await signUpAdmin(server);
    expect(await codeOf(a.client.users.update.mutate({ id: b.user.id, isAdmin: false }))).toBe("OK");
    expect(await codeOf(a.client.users.update.mutate({ id: a.user.id, isAdmin: false }))).toBe("BAD_REQUEST");
    expect(await activeAdmins(a)).toBe(1);
  });
});
