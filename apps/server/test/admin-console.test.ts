import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { send } from "@voiceassist/testing/raw-http";
import { startTestServer, type TestServer } from "@voiceassist/testing/server";
import { codeOf, post, randomIp, signIn, signUp, signUpAdmin } from "@voiceassist/testing/users";

// The rules themselves are tested through createCaller in packages/api/test/account-lifecycle.test.ts;
// here the same procedures go over HTTP: tRPC with superjson Dates, and the REST routes.
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

const restCall = (method: string, path: string, token: string, body?: unknown) =>
  send(`${server.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      "x-forwarded-for": randomIp(),
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

describe("delete, restore and erase over HTTP", () => {
  it("USE_RESTORE reaches the error body; restore and erase work over tRPC and REST", async () => {
    const admin = await signUpAdmin(server);
    const user = await signUp(server, { fullName: "Erin Example" });
    await admin.client.users.delete.mutate({ id: user.user.id });

    const refused = await post(
      server,
      "users.update",
      { id: user.user.id, isActive: true },
      {
        authorization: `Bearer ${admin.tokens.accessToken}`,
      },
    );
    expect(refused.response.status).toBe(400);
    expect(refused.body.error.json.data).toMatchObject({ code: "BAD_REQUEST", reason: "USE_RESTORE" });

    const restored = await restCall("POST", `/api/users/${user.user.id}/restore`, admin.tokens.accessToken);
    expect(restored).toMatchObject({ status: 200, body: { id: user.user.id, isActive: true, deletedAt: null } });
    expect((await signIn(server, user.email)).user.id).toBe(user.user.id);

    await admin.client.users.delete.mutate({ id: user.user.id });
    const wrong = await restCall("POST", `/api/users/${user.user.id}/erase`, admin.tokens.accessToken, { confirmEmail: "x@example.com" });
    expect(wrong.status).toBe(400);
    const erased = await restCall("POST", `/api/users/${user.user.id}/erase`, admin.tokens.accessToken, { confirmEmail: user.email });
    expect(erased).toMatchObject({ status: 200, body: { success: true } });
    const after = await admin.client.users.byId.query({ id: user.user.id });
    expect(after).toMatchObject({ email: `erased-${user.user.id}@erased.invalid`, fullName: null, isActive: false });
    expect(after.erasedAt).toBeInstanceOf(Date);
    expect(await codeOf(signIn(server, user.email))).toBe("UNAUTHORIZED");
  });
});

describe("sessions over HTTP", () => {
  it("lists the client's IP and browser, and a user signs out another device", async () => {
    const me = await signUp(server);
    const phone = await signIn(server, me.email);
    const list = await me.client.auth.sessions.query();
    expect(list.map((s) => s.ip)).toEqual([phone.ip, me.ip]);
    expect(list[0]?.lastUsedAt).toBeInstanceOf(Date);
    expect(list.find((s) => s.current)?.ip).toBe(me.ip);

    await me.client.auth.revokeSession.mutate({ sessionId: list[0]?.id ?? "" });
    expect(await codeOf(phone.client.auth.me.query())).toBe("UNAUTHORIZED");

    const admin = await signUpAdmin(server);
    const viaRest = await restCall("GET", `/api/users/${me.user.id}/sessions`, admin.tokens.accessToken);
    expect(viaRest.status).toBe(200);
    expect(viaRest.body).toHaveLength(1);
    const revoked = await restCall("POST", `/api/users/${me.user.id}/sessions/revoke`, admin.tokens.accessToken);
    expect(revoked).toMatchObject({ status: 200, body: { revoked: 1 } });
    expect(await codeOf(me.client.auth.me.query())).toBe("UNAUTHORIZED");
  });
});

describe("audit over HTTP", () => {
  it("filters by dates over tRPC (Dates) and REST (ISO text), and exports CSV", async () => {
    const admin = await signUpAdmin(server);
    const user = await signUp(server);
    await admin.client.users.update.mutate({ id: user.user.id, fullName: "@SUM(1)" });
    const hourAgo = new Date(Date.now() - 3600_000);

    const listed = await admin.client.audit.list.query({ userId: user.user.id, from: hourAgo, outcome: "success" });
    expect(listed.items[0]).toMatchObject({ action: "admin.user.update", actorEmail: admin.email, targetEmail: user.email });

    const query = `userId=${user.user.id}&from=${encodeURIComponent(hourAgo.toISOString())}&to=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`;
    const viaRest = await restCall("GET", `/api/audit?${query}`, admin.tokens.accessToken);
    expect(viaRest.status).toBe(200);
    expect(viaRest.body.total).toBe(listed.total);
    expect((await restCall("GET", `/api/audit?from=yesterday`, admin.tokens.accessToken)).status).toBe(400);

    const exported = await restCall("GET", `/api/audit/export?${query}&action=admin.user.update`, admin.tokens.accessToken);
    expect(exported.status).toBe(200);
    expect(exported.body.rows).toBe(1);
    expect(exported.body.csv).toContain(`"'@SUM(1)"`);
    expect(exported.body.csv).toContain(`"${user.email}"`);
  });
});
