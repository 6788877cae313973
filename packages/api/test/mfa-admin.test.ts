import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { auditEvents, mailOutbox, mfaBackupCodes, mfaTotp, sessions } from "@voiceassist/db";
import { tokenPair } from "@voiceassist/testing/users";

import { createSecretBox } from "../src/services/mfa/secret-box";
import { codeAt, enrolTotp, manualClock, passwordStep } from "./mfa-support";
import { PASSWORD, procedureHarness, testMfaSettings, type ProcedureHarness } from "./support";

const clock = manualClock();
const settings = testMfaSettings({ now: clock.now, requiredForAdmins: true });
let h: ProcedureHarness;
beforeAll(async () => {
  h = await procedureHarness({ mfa: settings });
});
afterAll(() => h?.destroy());

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => ({ code: "OK", reason: undefined as string | undefined }),
    (error: { code?: string; cause?: { reason?: string } }) => ({ code: error.code, reason: error.cause?.reason }),
  );

describe("MFA_REQUIRED_FOR_ADMINS", () => {
  it("an admin signed in with a password alone gets MFA_REQUIRED; after enrolling and signing in with TOTP the same procedures work", async () => {
    const admin = await h.signUp({ admin: true });
    const target = await h.signUp();
    const adminCalls = (as: typeof admin.as) => [
      () => as.users.list(),
      () => as.users.byId({ id: target.user.id }),
      () => as.audit.list(),
      () => as.users.update({ id: target.user.id, fullName: "Renamed" }),
    ];
    for (const call of adminCalls(admin.as)) expect(await failure(call())).toEqual({ code: "FORBIDDEN", reason: "MFA_REQUIRED" });
    // Enrolment itself is open to the aal1 session: the way out of the refusal.
    expect(await failure(admin.as.mfa.status())).toMatchObject({ code: "OK" });
    const { secret } = await enrolTotp(admin.as, clock);
    // The enrolling session did not sign in with the factor: still refused.
    expect(await failure(admin.as.users.list())).toEqual({ code: "FORBIDDEN", reason: "MFA_REQUIRED" });

    clock.advanceSteps(1);
    const pair = await h
      .caller()
      .auth.mfa.verify({ challengeToken: await passwordStep(h, admin.email), totpCode: codeAt(secret, clock.now()) });
    const aal2 = h.caller({ authorization: `Bearer ${pair.accessToken}` });
    for (const call of adminCalls(aal2)) expect(await failure(call())).toMatchObject({ code: "OK" });
  });

  it("a non-admin still hears 'Admin access required', not MFA_REQUIRED", async () => {
    const user = await h.signUp();
    expect(await failure(user.as.users.list())).toEqual({ code: "FORBIDDEN", reason: undefined });
  });
});

async function aal2Admin() {
  const admin = await h.signUp({ admin: true });
  const { secret } = await enrolTotp(admin.as, clock);
  clock.advanceSteps(1);
  const pair = await h
    .caller()
    .auth.mfa.verify({ challengeToken: await passwordStep(h, admin.email), totpCode: codeAt(secret, clock.now()) });
  return { ...admin, as: h.caller({ authorization: `Bearer ${pair.accessToken}` }) };
}

describe("users.resetMfa", () => {
  it("removes a locked-out user's factors, ends their sessions and is audited", async () => {
    const admin = await aal2Admin();
    const target = await h.signUp();
    await enrolTotp(target.as, clock);
    // users.byId shows the admin what the user has (the same MfaStatus the user sees).
    expect((await admin.as.users.byId({ id: target.user.id })).mfa).toEqual({ totp: true, passkeys: [], backupCodesRemaining: 10 });
    const user = await admin.as.users.resetMfa({ id: target.user.id });
    expect(user).toMatchObject({ id: target.user.id, mfaEnabled: false });
    expect((await admin.as.users.byId({ id: target.user.id })).mfa).toEqual({ totp: false, passkeys: [], backupCodesRemaining: 0 });
    expect(await h.db.select().from(mfaTotp).where(eq(mfaTotp.userId, target.user.id))).toEqual([]);
    expect(await h.db.select().from(mfaBackupCodes).where(eq(mfaBackupCodes.userId, target.user.id))).toEqual([]);
    expect(await failure(target.as.auth.me())).toMatchObject({ code: "UNAUTHORIZED" });
    const live = await h.db.select({ revokedReason: sessions.revokedReason }).from(sessions).where(eq(sessions.userId, target.user.id));
    expect(live.every((s) => s.revokedReason !== null)).toBe(true);
    expect(tokenPair(await h.caller().auth.login({ email: target.email, password: PASSWORD })).user.mfaEnabled).toBe(false);
    const [event] = await h.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "admin.user.reset_mfa"), eq(auditEvents.targetUserId, target.user.id)));
    expect(event).toMatchObject({ actorId: admin.user.id, outcome: "success" });
    const mails = await h.db
      .select()
      .from(mailOutbox)
      .where(and(eq(mailOutbox.userId, target.user.id), eq(mailOutbox.template, "mfa_reset")));
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ toAddress: target.email, subject: "Your VoiceAssist second factor was reset" });
  });

  it("refuses the admin's own factors (those go through the CLI), and unknown users", async () => {
    const admin = await aal2Admin();
    expect(await failure(admin.as.users.resetMfa({ id: admin.user.id }))).toMatchObject({ code: "BAD_REQUEST" });
    expect((await admin.as.mfa.status()).totp).toBe(true);
    expect(await failure(admin.as.users.resetMfa({ id: crypto.randomUUID() }))).toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("users.erase", () => {
  it("removes the erased user's stored second factors with the rest of the account", async () => {
    const admin = await aal2Admin();
    const target = await h.signUp();
    await enrolTotp(target.as, clock);
    expect(await h.db.select().from(mfaBackupCodes).where(eq(mfaBackupCodes.userId, target.user.id))).not.toEqual([]);
    await admin.as.users.delete({ id: target.user.id });
    await admin.as.users.erase({ id: target.user.id, confirmEmail: target.email });
    expect(await h.db.select().from(mfaTotp).where(eq(mfaTotp.userId, target.user.id))).toEqual([]);
    expect(await h.db.select().from(mfaBackupCodes).where(eq(mfaBackupCodes.userId, target.user.id))).toEqual([]);
  });
});

describe("rotating DATA_ENCRYPTION_KEY", () => {
  it("reads secrets sealed under an old key and re-seals them under the new one on use", async () => {
    const oldKey = { version: 1, key: Buffer.alloc(32, 7) };
    const rotating = await procedureHarness({ mfa: testMfaSettings({ now: clock.now, secretBox: createSecretBox(oldKey) }) });
    try {
      const me = await rotating.signUp();
      const { secret } = await enrolTotp(me.as, clock);
      rotating.deps.mfa.secretBox = createSecretBox({ version: 2, key: Buffer.alloc(32, 9) }, [oldKey]);
      clock.advanceSteps(1);
      await rotating
        .caller()
        .auth.mfa.verify({ challengeToken: await passwordStep(rotating, me.email), totpCode: codeAt(secret, clock.now()) });
      const [row] = await rotating.db.select({ v: mfaTotp.secretKeyVersion }).from(mfaTotp).where(eq(mfaTotp.userId, me.user.id));
      expect(row?.v).toBe(2);
      // Without the old key the new ciphertext still opens: nothing depends on version 1 any more.
      rotating.deps.mfa.secretBox = createSecretBox({ version: 2, key: Buffer.alloc(32, 9) });
      clock.advanceSteps(1);
      const again = await failure(
        rotating
          .caller()
          .auth.mfa.verify({ challengeToken: await passwordStep(rotating, me.email), totpCode: codeAt(secret, clock.now()) }),
      );
      expect(again).toMatchObject({ code: "OK" });
    } finally {
      await rotating.destroy();
    }
  });

  it("without any key, second factors answer SERVICE_UNAVAILABLE and store nothing", async () => {
    const keyless = await procedureHarness({ mfa: testMfaSettings({ secretBox: createSecretBox(null) }) });
    try {
      const me = await keyless.signUp();
      expect(await failure(me.as.mfa.totp.begin({ currentPassword: PASSWORD }))).toMatchObject({ code: "SERVICE_UNAVAILABLE" });
      expect(await keyless.db.select().from(mfaTotp)).toEqual([]);
    } finally {
      await keyless.destroy();
    }
  });
});
