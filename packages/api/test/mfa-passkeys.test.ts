import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { auditEvents, passkeys, sessions } from "@voiceassist/db";
import { tokenPair } from "@voiceassist/testing/users";
import { createSoftAuthenticator, type SoftAuthenticator } from "@voiceassist/testing/webauthn";

import { enrolTotp, manualClock, passwordStep } from "./mfa-support";
import { PASSWORD, procedureHarness, testMfaSettings, type Caller, type ProcedureHarness } from "./support";

const ORIGIN = "http://localhost:3000";
const clock = manualClock();
let h: ProcedureHarness;
beforeAll(async () => {
  h = await procedureHarness({ mfa: testMfaSettings({ now: clock.now }) });
});
afterAll(() => h?.destroy());

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => ({ code: "OK", reason: undefined as string | undefined }),
    (error: { code?: string; cause?: { reason?: string } }) => ({ code: error.code, reason: error.cause?.reason }),
  );

async function addPasskey(as: Caller, authenticator: SoftAuthenticator, name?: string) {
  const options = await as.mfa.passkeys.registrationOptions({ currentPassword: PASSWORD });
  return as.mfa.passkeys.register({ response: authenticator.register(options, { origin: ORIGIN }), name });
}

/** Password, then the passkey as second factor. */
async function signInWithPasskey(email: string, authenticator: SoftAuthenticator, ceremony: { origin?: string; rpId?: string } = {}) {
  const challengeToken = await passwordStep(h, email);
  const options = await h.caller().auth.mfa.webauthnOptions({ challengeToken });
  const webauthn = authenticator.authenticate(options, { origin: ceremony.origin ?? ORIGIN, rpId: ceremony.rpId });
  return h.caller().auth.mfa.verify({ challengeToken, webauthn });
}

describe("passkeys", () => {
  it("registers named passkeys (needs the password), lists them and makes the password step ask for one", async () => {
    const me = await h.signUp();
    const authenticator = createSoftAuthenticator();
    expect(await failure(me.as.mfa.passkeys.registrationOptions({ currentPassword: "wrong-password-1" }))).toMatchObject({
      code: "BAD_REQUEST",
    });
    const laptop = await addPasskey(me.as, authenticator, "Laptop");
    const phone = await addPasskey(me.as, authenticator);
    expect(laptop).toMatchObject({ name: "Laptop", lastUsedAt: null });
    expect(phone.name).toBe("Passkey 2");
    const status = await me.as.mfa.status();
    expect(status.passkeys.map((k) => k.name)).toEqual(["Laptop", "Passkey 2"]);
    expect(status.totp).toBe(false);
    const challenge = await h.caller().auth.login({ email: me.email, password: PASSWORD });
    expect(challenge).toMatchObject({ mfaRequired: true, methods: ["webauthn"] });
    const added = await h.db.select().from(auditEvents).where(eq(auditEvents.targetUserId, me.user.id));
    expect(added.filter((e) => e.action === "mfa.passkey.added")).toHaveLength(2);
  });

  it("a passkey answers the second step; the session is marked mfa and the counter stored", async () => {
    const me = await h.signUp();
    const authenticator = createSoftAuthenticator();
    const key = await addPasskey(me.as, authenticator);
    const pair = await signInWithPasskey(me.email, authenticator);
    expect(pair.user.id).toBe(me.user.id);
    const [row] = await h.db
      .select({ counter: passkeys.counter, lastUsedAt: passkeys.lastUsedAt })
      .from(passkeys)
      .where(eq(passkeys.id, key.id));
    expect(row?.counter).toBe(1);
    expect(row?.lastUsedAt).not.toBeNull();
    const second = await h.db
      .select({ amr: sessions.amr })
      .from(sessions)
      .where(eq(sessions.userId, me.user.id))
      .orderBy(sessions.createdAt);
    // The password, then the passkey as the second factor (what single sign-on reports as amr).
    expect(second.at(-1)?.amr).toEqual(["pwd", "hwk"]);
    expect(await failure(h.caller({ authorization: `Bearer ${pair.accessToken}` }).auth.me())).toMatchObject({ code: "OK" });
  });

  it("signs in without a password: a discoverable passkey with user verification", async () => {
    const me = await h.signUp();
    const authenticator = createSoftAuthenticator();
    await addPasskey(me.as, authenticator);
    const options = await h.caller().auth.passkey.options();
    expect(options.userVerification).toBe("required");
    expect(options.allowCredentials ?? []).toEqual([]);
    const pair = await h.caller().auth.passkey.login({ response: authenticator.authenticate(options, { origin: ORIGIN }) });
    expect(pair.user.id).toBe(me.user.id);
    const rows = await h.db.select({ mfa: sessions.mfa, amr: sessions.amr }).from(sessions).where(eq(sessions.userId, me.user.id));
    expect(rows.some((s) => s.mfa)).toBe(true);
    // The methods single sign-on reports as amr: the passkey alone, no password.
    expect(rows.filter((s) => s.mfa).map((s) => s.amr)).toEqual([["hwk"]]);

    // Without user verification it is only something you have: refused alone.
    const again = await h.caller().auth.passkey.options();
    const noUv = authenticator.authenticate(again, { origin: ORIGIN, userVerified: false });
    expect(await failure(h.caller().auth.passkey.login({ response: noUv }))).toMatchObject({ code: "UNAUTHORIZED" });
  });

  it("refuses a cloned authenticator whose counter does not move forward", async () => {
    const me = await h.signUp();
    const authenticator = createSoftAuthenticator();
    await addPasskey(me.as, authenticator);
    const original = authenticator.credentials[0];
    if (!original) throw new Error("no credential");
    const cloned = authenticator.clone(original); // counter 0, copied before any use
    await signInWithPasskey(me.email, authenticator); // the real one moves the stored counter to 1
    const challengeToken = await passwordStep(h, me.email);
    const options = await h.caller().auth.mfa.webauthnOptions({ challengeToken });
    const webauthn = authenticator.authenticate(options, { origin: ORIGIN, credential: cloned }); // signs with counter 1 again
    expect(await failure(h.caller().auth.mfa.verify({ challengeToken, webauthn }))).toMatchObject({ code: "UNAUTHORIZED" });
    // The genuine authenticator, counter 2, still works.
    expect(await failure(signInWithPasskey(me.email, authenticator))).toMatchObject({ code: "OK" });
  });

  it("refuses a wrong origin and a wrong RP ID, at registration and at sign-in", async () => {
    const me = await h.signUp();
    const authenticator = createSoftAuthenticator();
    for (const ceremony of [{ origin: "https://evil.example" }, { origin: ORIGIN, rpId: "evil.example" }]) {
      const options = await me.as.mfa.passkeys.registrationOptions({ currentPassword: PASSWORD });
      const response = authenticator.register(options, ceremony);
      expect(await failure(me.as.mfa.passkeys.register({ response }))).toMatchObject({ code: "BAD_REQUEST" });
    }
    expect((await me.as.mfa.status()).passkeys).toEqual([]);

    const honest = createSoftAuthenticator();
    await addPasskey(me.as, honest);
    expect(await failure(signInWithPasskey(me.email, honest, { origin: "https://evil.example" }))).toMatchObject({ code: "UNAUTHORIZED" });
    expect(await failure(signInWithPasskey(me.email, honest, { rpId: "evil.example" }))).toMatchObject({ code: "UNAUTHORIZED" });
    const options = await h.caller().auth.passkey.options();
    const phished = honest.authenticate(options, { origin: "https://evil.example" });
    expect(await failure(h.caller().auth.passkey.login({ response: phished }))).toMatchObject({ code: "UNAUTHORIZED" });
  });

  it("a challenge is good for one ceremony: a replayed assertion is refused", async () => {
    const me = await h.signUp();
    const authenticator = createSoftAuthenticator();
    await addPasskey(me.as, authenticator);
    const options = await h.caller().auth.passkey.options();
    const response = authenticator.authenticate(options, { origin: ORIGIN });
    expect(await failure(h.caller().auth.passkey.login({ response }))).toMatchObject({ code: "OK" });
    expect(await failure(h.caller().auth.passkey.login({ response }))).toMatchObject({ code: "UNAUTHORIZED" });
  });

  it("removal: the password suffices while another factor remains; the last factor takes a code", async () => {
    const me = await h.signUp();
    const authenticator = createSoftAuthenticator();
    const { backupCodes } = await enrolTotp(me.as, clock);
    const first = await addPasskey(me.as, authenticator);
    const second = await addPasskey(me.as, authenticator);
    expect(await failure(me.as.mfa.passkeys.remove({ id: first.id, currentPassword: "wrong-password-1" }))).toMatchObject({
      code: "BAD_REQUEST",
    });
    expect(await failure(me.as.mfa.passkeys.remove({ id: first.id, currentPassword: PASSWORD }))).toMatchObject({ code: "OK" });
    await me.as.mfa.totp.disable({ code: backupCodes[0] as string });
    // Now the second passkey is the last factor, and backup codes remain: a code is required.
    expect(await failure(me.as.mfa.passkeys.remove({ id: second.id, currentPassword: PASSWORD }))).toMatchObject({ code: "BAD_REQUEST" });
    expect(await failure(me.as.mfa.passkeys.remove({ id: second.id, code: backupCodes[1] as string }))).toMatchObject({ code: "OK" });
    expect(await me.as.mfa.status()).toEqual({ totp: false, passkeys: [], backupCodesRemaining: 0 });
    expect(tokenPair(await h.caller().auth.login({ email: me.email, password: PASSWORD })).user.mfaEnabled).toBe(false);
    // Another user's passkey id is simply not found.
    const stranger = await h.signUp();
    const theirs = await addPasskey(stranger.as, createSoftAuthenticator());
    expect(await failure(me.as.mfa.passkeys.remove({ id: theirs.id, currentPassword: PASSWORD }))).toMatchObject({ code: "NOT_FOUND" });
  });
});
