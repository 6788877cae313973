import { and, count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { auditEvents, mfaBackupCodes, mfaTotp, sessions, users } from "@voiceassist/db";
import { tokenPair } from "@voiceassist/testing/users";

import { codeAt, enrolTotp, manualClock, passwordStep } from "./mfa-support";
import { PASSWORD, procedureHarness, testMfaSettings, type ProcedureHarness } from "./support";

const clock = manualClock();
let h: ProcedureHarness;
beforeAll(async () => {
  h = await procedureHarness({ mfa: testMfaSettings({ now: clock.now }) });
});
afterAll(() => h?.destroy());

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => ({ code: "OK", reason: undefined }),
    (error: { code?: string; cause?: { reason?: string } }) => ({ code: error.code, reason: error.cause?.reason }),
  );

const sessionCount = async (userId: string) =>
  (await h.db.select({ n: count() }).from(sessions).where(eq(sessions.userId, userId)))[0]?.n ?? 0;

describe("TOTP enrolment", () => {
  it("needs the current password, shows secret, URI and QR code, and enables nothing until a code confirms it", async () => {
    const me = await h.signUp();
    expect(await failure(me.as.mfa.totp.begin({ currentPassword: "not-my-password" }))).toMatchObject({ code: "BAD_REQUEST" });
    const setup = await me.as.mfa.totp.begin({ currentPassword: PASSWORD });
    expect(setup.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(setup.otpauthUri).toMatch(/^otpauth:\/\/totp\/VoiceAssist:.+\?.*secret=/);
    expect(setup.otpauthUri).toContain("algorithm=SHA1");
    expect(setup.otpauthUri).toContain("digits=6");
    expect(setup.otpauthUri).toContain("period=30");
    expect(setup.qrCodeSvg).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
    expect(await me.as.mfa.status()).toEqual({ totp: false, passkeys: [], backupCodesRemaining: 0 });
    expect(tokenPair(await h.caller().auth.login({ email: me.email, password: PASSWORD })).tokenType).toBe("bearer");

    expect(await failure(me.as.mfa.totp.confirm({ code: codeAt(setup.secret, clock.now() - 120_000) }))).toMatchObject({
      code: "BAD_REQUEST",
    });
    const { backupCodes } = await me.as.mfa.totp.confirm({ code: codeAt(setup.secret, clock.now()) });
    expect(backupCodes).toHaveLength(10);
    expect(new Set(backupCodes).size).toBe(10);
    for (const code of backupCodes) expect(code).toMatch(/^[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}$/);
    expect(await me.as.mfa.status()).toEqual({ totp: true, passkeys: [], backupCodesRemaining: 10 });
    expect((await me.as.auth.me()).mfaEnabled).toBe(true);
    const actions = await h.db.select({ action: auditEvents.action }).from(auditEvents).where(eq(auditEvents.targetUserId, me.user.id));
    expect(actions.map((a) => a.action)).toContain("mfa.totp.enabled");
  });

  it("stores the secret only encrypted, with its key version, and backup codes only hashed", async () => {
    const me = await h.signUp();
    const { secret, backupCodes } = await enrolTotp(me.as, clock);
    const [row] = await h.db.select().from(mfaTotp).where(eq(mfaTotp.userId, me.user.id));
    expect(row?.secretKeyVersion).toBe(1);
    const stored = JSON.stringify(row);
    expect(stored).not.toContain(secret);
    expect(stored.toLowerCase()).not.toContain(secret.toLowerCase());
    // Nor the raw seed bytes, in any encoding the column could carry.
    const seed = Buffer.from(row?.secretCiphertext ?? "", "base64url");
    expect(seed.includes(Buffer.from(secret))).toBe(false);
    const codes = await h.db.select().from(mfaBackupCodes).where(eq(mfaBackupCodes.userId, me.user.id));
    expect(codes).toHaveLength(10);
    for (const code of backupCodes) expect(JSON.stringify(codes)).not.toContain(code.replaceAll("-", ""));
  });

  it("ends sessions made before enrolment (their refresh fails) and keeps the enrolling one", async () => {
    const me = await h.signUp();
    const other = tokenPair(await h.caller().auth.login({ email: me.email, password: PASSWORD }));
    await enrolTotp(me.as, clock);
    expect(await failure(h.caller().auth.refresh({ refreshToken: other.refreshToken }))).toMatchObject({ code: "UNAUTHORIZED" });
    expect(await failure(h.caller({ authorization: `Bearer ${other.accessToken}` }).auth.me())).toMatchObject({ code: "UNAUTHORIZED" });
    expect(await failure(h.caller().auth.refresh({ refreshToken: me.pair.refreshToken }))).toMatchObject({ code: "OK" });
  });
});

describe("signing in with TOTP", () => {
  it("a password alone yields a challenge and no session; the code yields a session marked mfa", async () => {
    const me = await h.signUp();
    const { secret } = await enrolTotp(me.as, clock);
    clock.advanceSteps(10);
    const before = await sessionCount(me.user.id);
    const challenge = await h.caller().auth.login({ email: me.email, password: PASSWORD });
    expect(challenge).toEqual({ mfaRequired: true, challengeToken: expect.any(String), methods: ["totp", "backup_code"], expiresIn: 300 });
    expect(await sessionCount(me.user.id)).toBe(before);
    if (!("mfaRequired" in challenge)) throw new Error("unreachable");

    const pair = await h.caller().auth.mfa.verify({ challengeToken: challenge.challengeToken, totpCode: codeAt(secret, clock.now()) });
    expect(pair.user.id).toBe(me.user.id);
    const [session] = await h.db
      .select({ mfa: sessions.mfa })
      .from(sessions)
      .where(eq(sessions.id, sessionIdOf(pair.accessToken)));
    expect(session?.mfa).toBe(true);
    expect(await failure(h.caller({ authorization: `Bearer ${pair.accessToken}` }).auth.me())).toMatchObject({ code: "OK" });
    const [success] = await h.db
      .select({ n: count() })
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "auth.mfa.success"), eq(auditEvents.targetUserId, me.user.id)));
    expect(success?.n).toBe(1);
  });

  it("accepts one step of drift either way, refuses two, and never the same step twice", async () => {
    const me = await h.signUp();
    const { secret } = await enrolTotp(me.as, clock);
    const verify = async (atMs: number) =>
      failure(h.caller().auth.mfa.verify({ challengeToken: await passwordStep(h, me.email), totpCode: codeAt(secret, atMs) }));

    clock.advanceSteps(10);
    expect(await verify(clock.now() - 60_000)).toMatchObject({ code: "UNAUTHORIZED" }); // -2 steps
    expect(await verify(clock.now() + 60_000)).toMatchObject({ code: "UNAUTHORIZED" }); // +2 steps
    expect(await verify(clock.now() - 30_000)).toMatchObject({ code: "OK" }); // -1 step
    expect(await verify(clock.now() - 30_000)).toMatchObject({ code: "UNAUTHORIZED" }); // replay
    expect(await verify(clock.now())).toMatchObject({ code: "OK" });
    expect(await verify(clock.now())).toMatchObject({ code: "UNAUTHORIZED" }); // replay
    expect(await verify(clock.now() + 30_000)).toMatchObject({ code: "OK" }); // +1 step
    // Once a later step was used, an earlier unused one is refused too.
    clock.advanceSteps(1);
    expect(await verify(clock.now() - 30_000)).toMatchObject({ code: "UNAUTHORIZED" });
  });

  it("refuses the code that confirmed enrolment, and one from before it", async () => {
    const me = await h.signUp();
    const { secret } = await enrolTotp(me.as, clock);
    for (const at of [clock.now(), clock.now() - 30_000]) {
      const result = await failure(
        h.caller().auth.mfa.verify({ challengeToken: await passwordStep(h, me.email), totpCode: codeAt(secret, at) }),
      );
      expect(result).toMatchObject({ code: "UNAUTHORIZED" });
    }
    clock.advanceSteps(1);
  });

  it("a challenge dies after 5 wrong codes: the right code cannot revive it", async () => {
    const me = await h.signUp();
    const { secret } = await enrolTotp(me.as, clock);
    clock.advanceSteps(3);
    const challengeToken = await passwordStep(h, me.email);
    for (let i = 0; i < 5; i++) {
      expect(await failure(h.caller().auth.mfa.verify({ challengeToken, totpCode: "000000" }))).toMatchObject({ code: "UNAUTHORIZED" });
    }
    const late = await failure(h.caller().auth.mfa.verify({ challengeToken, totpCode: codeAt(secret, clock.now()) }));
    expect(late).toEqual({ code: "UNAUTHORIZED", reason: "INVALID_TOKEN" });
    const failures = await h.db
      .select({ n: count() })
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "auth.mfa.failure"), eq(auditEvents.targetUserId, me.user.id)));
    expect(failures[0]?.n).toBe(5);
    // The code was not spent by the refused attempt: a fresh challenge takes it.
    const fresh = await failure(
      h.caller().auth.mfa.verify({ challengeToken: await passwordStep(h, me.email), totpCode: codeAt(secret, clock.now()) }),
    );
    expect(fresh).toMatchObject({ code: "OK" });
  });

  it("a challenge dies after 5 minutes", async () => {
    const { mfaChallenges } = await import("@voiceassist/db");
    const me = await h.signUp();
    const { secret } = await enrolTotp(me.as, clock);
    clock.advanceSteps(3);
    const challengeToken = await passwordStep(h, me.email);
    const [row] = await h.db
      .select({ expiresAt: mfaChallenges.expiresAt, createdAt: mfaChallenges.createdAt })
      .from(mfaChallenges)
      .where(eq(mfaChallenges.userId, me.user.id));
    expect((row?.expiresAt.getTime() ?? 0) - (row?.createdAt.getTime() ?? 0)).toBe(300_000);
    await h.db
      .update(mfaChallenges)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(mfaChallenges.userId, me.user.id));
    const result = await failure(h.caller().auth.mfa.verify({ challengeToken, totpCode: codeAt(secret, clock.now()) }));
    expect(result).toEqual({ code: "UNAUTHORIZED", reason: "INVALID_TOKEN" });
  });

  it("a password change between the two steps leaves the challenge unusable", async () => {
    const me = await h.signUp();
    const { secret } = await enrolTotp(me.as, clock);
    clock.advanceSteps(3);
    const challengeToken = await passwordStep(h, me.email);
    await me.as.users.changePassword({ currentPassword: PASSWORD, newPassword: "a-brand-new-password-9" });
    const result = await failure(h.caller().auth.mfa.verify({ challengeToken, totpCode: codeAt(secret, clock.now()) }));
    expect(result).toMatchObject({ code: "UNAUTHORIZED" });
  });

  it("a deactivation between the two steps yields no session", async () => {
    const me = await h.signUp();
    const { secret } = await enrolTotp(me.as, clock);
    clock.advanceSteps(3);
    const challengeToken = await passwordStep(h, me.email);
    await h.db.update(users).set({ isActive: false }).where(eq(users.id, me.user.id));
    const result = await failure(h.caller().auth.mfa.verify({ challengeToken, totpCode: codeAt(secret, clock.now()) }));
    expect(result).toMatchObject({ code: "UNAUTHORIZED" });
  });
});

describe("backup codes", () => {
  it("each signs in once; regenerating voids the old ones", async () => {
    const me = await h.signUp();
    const { secret, backupCodes } = await enrolTotp(me.as, clock);
    const [first, second] = backupCodes as [string, string];
    const use = async (backupCode: string) =>
      failure(h.caller().auth.mfa.verify({ challengeToken: await passwordStep(h, me.email), backupCode }));
    // Typed loosely: upper case, spaces instead of dashes.
    expect(await use(first.toUpperCase().replaceAll("-", " "))).toMatchObject({ code: "OK" });
    expect(await use(first)).toMatchObject({ code: "UNAUTHORIZED" });
    expect((await me.as.mfa.status()).backupCodesRemaining).toBe(9);

    clock.advanceSteps(2);
    const { backupCodes: fresh } = await me.as.mfa.backupCodes.regenerate({ code: codeAt(secret, clock.now()) });
    expect(fresh).toHaveLength(10);
    expect(await use(second)).toMatchObject({ code: "UNAUTHORIZED" });
    expect(await use(fresh[0] as string)).toMatchObject({ code: "OK" });
  });
});

describe("turning TOTP off", () => {
  it("takes a current code, ends the other sessions, and lets the password alone sign in again", async () => {
    const me = await h.signUp();
    const { backupCodes } = await enrolTotp(me.as, clock);
    clock.advanceSteps(2);
    const other = await h
      .caller()
      .auth.mfa.verify({ challengeToken: await passwordStep(h, me.email), backupCode: backupCodes[0] as string });
    expect(await failure(me.as.mfa.totp.disable({ code: "000000" }))).toMatchObject({ code: "BAD_REQUEST" });
    expect(await failure(me.as.mfa.totp.disable({ code: backupCodes[1] as string }))).toMatchObject({ code: "OK" });
    expect(await me.as.mfa.status()).toEqual({ totp: false, passkeys: [], backupCodesRemaining: 0 });
    expect(await failure(h.caller({ authorization: `Bearer ${other.accessToken}` }).auth.me())).toMatchObject({ code: "UNAUTHORIZED" });
    expect(await failure(me.as.auth.me())).toMatchObject({ code: "OK" });
    expect(tokenPair(await h.caller().auth.login({ email: me.email, password: PASSWORD })).user.mfaEnabled).toBe(false);
  });
});

function sessionIdOf(accessToken: string): string {
  return JSON.parse(Buffer.from(accessToken.split(".")[1] ?? "", "base64url").toString()).sid;
}
