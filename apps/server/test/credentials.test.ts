import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { auditEvents, sessions, users } from "@voiceassist/db";

import { startTestServer, type TestServer } from "@voiceassist/testing/server";
import {
  clientFrom,
  codeOf,
  PASSWORD,
  post,
  randomIp,
  signIn,
  signUp,
  signUpAdmin,
  tokenPair,
  uniqueEmail,
} from "@voiceassist/testing/users";

/**
 * The credentials model of the security review's F1, F2, F4, F5 and F9: every
 * session is bound to the user's credentials version, and password changes,
 * deactivation and deletion move it forward. Races run many rounds; not one
 * round may leave a usable session behind or let the losing write land.
 */
const ROUNDS = 15;

let server: TestServer;
let admin: Awaited<ReturnType<typeof signUpAdmin>>;
beforeAll(async () => {
  server = await startTestServer();
  admin = await signUpAdmin(server);
});
afterAll(() => server?.close());

const db = () => server.deps.api.db;

/** Whether a token pair can still be used in any way: a protected call or a refresh. */
async function pairStillWorks(pair: { accessToken: string; refreshToken: string }) {
  const me = await codeOf(clientFrom(server, randomIp(), () => pair.accessToken).auth.me.query());
  const refresh = await codeOf(clientFrom(server).auth.refresh.mutate({ refreshToken: pair.refreshToken }));
  return me === "OK" || refresh === "OK";
}

const loginOutcome = (email: string, password = PASSWORD) =>
  clientFrom(server)
    .auth.login.mutate({ email, password })
    .then((pair) => ({ ok: true as const, pair: tokenPair(pair) }))
    .catch(() => ({ ok: false as const }));

describe("changePassword is a compare-and-swap (F1)", () => {
  it("of two concurrent changes exactly one lands, and only its password works", async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const owner = await signUp(server);
      const intruder = await signIn(server, owner.email);
      const [ownerCode, intruderCode] = await Promise.all([
        codeOf(owner.client.users.changePassword.mutate({ currentPassword: PASSWORD, newPassword: "owner-new-secret-1" })),
        codeOf(intruder.client.users.changePassword.mutate({ currentPassword: PASSWORD, newPassword: "intruder-secret-2" })),
      ]);
      const codes = [ownerCode, intruderCode];
      expect(
        codes.filter((c) => c === "OK"),
        `round ${round}: ${codes}`,
      ).toHaveLength(1);
      expect(["UNAUTHORIZED", "BAD_REQUEST"]).toContain(codes.find((c) => c !== "OK"));
      const winner = ownerCode === "OK" ? "owner-new-secret-1" : "intruder-secret-2";
      const loser = ownerCode === "OK" ? "intruder-secret-2" : "owner-new-secret-1";
      expect((await loginOutcome(owner.email, winner)).ok, `round ${round}`).toBe(true);
      expect((await loginOutcome(owner.email, loser)).ok, `round ${round}`).toBe(false);
      expect((await loginOutcome(owner.email, PASSWORD)).ok, `round ${round}`).toBe(false);
    }
  });

  it("refuses new = current (SAME_PASSWORD), so a P→P loop cannot undo the owner's change", async () => {
    const me = await signUp(server);
    const { response, body } = await post(
      server,
      "users.changePassword",
      { currentPassword: PASSWORD, newPassword: PASSWORD },
      { authorization: `Bearer ${me.tokens.accessToken}`, "x-forwarded-for": me.ip },
    );
    expect(response.status).toBe(400);
    expect(body.error.json.data.reason).toBe("SAME_PASSWORD");
  });

  it("a change from a session revoked after its check writes nothing (UNAUTHORIZED)", async () => {
    const me = await signUp(server);
    // The intruder's session is revoked by the owner's logout-everywhere; its change must not land.
    const intruder = await signIn(server, me.email);
    await me.client.auth.logout.mutate({ allSessions: true });
    expect(await codeOf(intruder.client.users.changePassword.mutate({ currentPassword: PASSWORD, newPassword: "taken-over-99" }))).toBe(
      "UNAUTHORIZED",
    );
    expect((await loginOutcome(me.email, PASSWORD)).ok).toBe(true);
  });
});

describe("no session outlives the credentials it was made under (F2)", () => {
  it("a login racing a delete never yields a session that works, even after restore", async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const victim = await signUp(server);
      const [login] = await Promise.all([loginOutcome(victim.email), admin.client.users.delete.mutate({ id: victim.user.id })]);
      // A deleted user comes back through users.restore (reactivating is refused as USE_RESTORE).
      await admin.client.users.restore.mutate({ id: victim.user.id });
      if (login.ok) expect(await pairStillWorks(login.pair), `round ${round}`).toBe(false);
    }
  });

  it("a login racing a password change never yields a session that works", async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const me = await signUp(server);
      const [login, change] = await Promise.all([
        loginOutcome(me.email),
        codeOf(me.client.users.changePassword.mutate({ currentPassword: PASSWORD, newPassword: `changed-pw-${round}-x` })),
      ]);
      expect(change).toBe("OK");
      if (login.ok) expect(await pairStillWorks(login.pair), `round ${round}`).toBe(false);
    }
  });

  it("a refresh racing a deactivation never yields tokens that work after re-activation", async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const me = await signUp(server);
      const [refreshed] = await Promise.all([
        clientFrom(server)
          .auth.refresh.mutate({ refreshToken: me.tokens.refreshToken })
          .catch(() => null),
        admin.client.users.update.mutate({ id: me.user.id, isActive: false }),
      ]);
      await admin.client.users.update.mutate({ id: me.user.id, isActive: true });
      expect(await pairStillWorks(me.tokens), `round ${round}`).toBe(false);
      if (refreshed) expect(await pairStillWorks(refreshed), `round ${round}`).toBe(false);
    }
  });
});

describe("each layer of revocation holds on its own", () => {
  it("a user deactivated directly in the database is refused with a live, unrevoked token", async () => {
    const me = await signUp(server);
    await db().update(users).set({ isActive: false }).where(eq(users.id, me.user.id));
    expect(await codeOf(me.client.auth.me.query())).toBe("UNAUTHORIZED");
    await db().update(users).set({ isActive: true }).where(eq(users.id, me.user.id));
  });

  it("admin deactivation revokes every session row, and the old token stays dead after re-activation", async () => {
    const me = await signUp(server);
    await admin.client.users.update.mutate({ id: me.user.id, isActive: false });
    const rows = await db().select({ revokedAt: sessions.revokedAt }).from(sessions).where(eq(sessions.userId, me.user.id));
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((row) => row.revokedAt !== null)).toBe(true);
    await admin.client.users.update.mutate({ id: me.user.id, isActive: true });
    expect(await pairStillWorks(me.tokens)).toBe(false);
  });

  it("a credentials version moved on in the database kills an unrevoked session", async () => {
    const me = await signUp(server);
    const [row] = await db().select({ v: users.credentialsVersion }).from(users).where(eq(users.id, me.user.id));
    await db()
      .update(users)
      .set({ credentialsVersion: row!.v + 1 })
      .where(eq(users.id, me.user.id));
    expect(await pairStillWorks(me.tokens)).toBe(false);
  });

  it("deactivation and deletion move the credentials version forward", async () => {
    const me = await signUp(server);
    const version = async () => (await db().select({ v: users.credentialsVersion }).from(users).where(eq(users.id, me.user.id)))[0]!.v;
    const before = await version();
    await admin.client.users.update.mutate({ id: me.user.id, isActive: false });
    await admin.client.users.update.mutate({ id: me.user.id, isActive: true });
    await admin.client.users.delete.mutate({ id: me.user.id });
    expect(await version()).toBe(before + 2);
  });
});

describe("password guessing through changePassword (F3, F4)", () => {
  it("a stolen access token gets 5 guesses per 15 minutes, each failed guess audited", async () => {
    const me = await signUp(server);
    const codes = [];
    for (let i = 0; i < 6; i++) {
      codes.push(
        await codeOf(me.client.users.changePassword.mutate({ currentPassword: `guess-number-${i}`, newPassword: "whatever-new-1" })),
      );
    }
    expect(codes).toEqual(["BAD_REQUEST", "BAD_REQUEST", "BAD_REQUEST", "BAD_REQUEST", "BAD_REQUEST", "TOO_MANY_REQUESTS"]);
    // The budget is the user's, not the IP's: a new address does not buy more guesses.
    const elsewhere = clientFrom(server, randomIp(), () => me.tokens.accessToken);
    expect(await codeOf(elsewhere.users.changePassword.mutate({ currentPassword: PASSWORD, newPassword: "whatever-new-1" }))).toBe(
      "TOO_MANY_REQUESTS",
    );
    const failures = await db()
      .select({ id: auditEvents.id })
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "user.change_password"), eq(auditEvents.actorId, me.user.id), eq(auditEvents.outcome, "failure")));
    expect(failures).toHaveLength(5);
  });
});

describe("per-account login throttle (F5)", () => {
  it("20 failures from 20 addresses lock the account, also for the right password, with Retry-After", async () => {
    const me = await signUp(server);
    for (let i = 0; i < 20; i++) {
      expect(await codeOf(clientFrom(server).auth.login.mutate({ email: me.email, password: `wrong-guess-${i}` }))).toBe("UNAUTHORIZED");
    }
    const { response, body } = await post(server, "auth.login", { email: me.email, password: PASSWORD }, { "x-forwarded-for": randomIp() });
    expect(response.status).toBe(429);
    expect(body.error.json.data.reason).toBe("ACCOUNT_LOCKED");
    expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(3000);
    // Other accounts and the live session are untouched.
    expect(await codeOf(me.client.auth.me.query())).toBe("OK");
    const other = await signUp(server);
    expect((await loginOutcome(other.email)).ok).toBe(true);
  });

  it("an unknown email locks the same way, so the lock tells nothing about who has an account", async () => {
    const email = uniqueEmail("nobody");
    for (let i = 0; i < 20; i++) await codeOf(clientFrom(server).auth.login.mutate({ email, password: `wrong-guess-${i}` }));
    const { response, body } = await post(server, "auth.login", { email, password: PASSWORD }, { "x-forwarded-for": randomIp() });
    expect(response.status).toBe(429);
    expect(body.error.json.data.reason).toBe("ACCOUNT_LOCKED");
  });

  it("concurrent failures are all counted (one atomic upsert each)", async () => {
    const me = await signUp(server);
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => codeOf(clientFrom(server).auth.login.mutate({ email: me.email, password: `wrong-guess-${i}` }))),
    );
    expect(await codeOf(clientFrom(server).auth.login.mutate({ email: me.email, password: PASSWORD }))).toBe("TOO_MANY_REQUESTS");
  });
});

describe("refusals are audited once per limit, key and window (F9)", () => {
  it("15 logins from one address over a 10-per-minute limit write one ratelimit.exceeded row", async () => {
    const ip = randomIp();
    const codes = [];
    for (let i = 0; i < 15; i++) {
      codes.push(await codeOf(clientFrom(server, ip).auth.login.mutate({ email: uniqueEmail(), password: PASSWORD })));
    }
    expect(codes.filter((c) => c === "TOO_MANY_REQUESTS")).toHaveLength(5);
    const rows = await db()
      .select({ id: auditEvents.id })
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "ratelimit.exceeded"), eq(auditEvents.ip, ip)));
    expect(rows).toHaveLength(1);
  });
});
