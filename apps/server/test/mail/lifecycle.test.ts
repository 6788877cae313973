import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { accountTokens, auditEvents, loginFailures, users } from "@voiceassist/db";
import { startTestServer, type TestServer } from "@voiceassist/testing/server";
import { startSmtpCatcher, tokenFromMail, type SmtpCatcher } from "@voiceassist/testing/smtp";
import { clientFrom, codeOf, PASSWORD, randomIp, refusalOf, signIn, signUp, signUpAdmin, uniqueEmail } from "@voiceassist/testing/users";
import { createHash } from "node:crypto";

/**
 * The account lifecycle through the real server, reading every link from
 * the mail that a real (in-process) SMTP server received.
 */
let smtp: SmtpCatcher;
let server: TestServer;
beforeAll(async () => {
  smtp = await startSmtpCatcher();
  server = await startTestServer({
    env: { SMTP_URL: smtp.url, MAIL_POLL_MS: "50", MAIL_BACKOFF_MS: "50", WEB_URL: "https://app.clinic.example" },
  });
});
afterAll(async () => {
  await server?.close();
  await smtp?.close();
});

const NEW_PASSWORD = "a-brand-new-passphrase";

/** The newest mail to `to` whose subject matches, once it has arrived. */
async function mailTo(to: string, subject: RegExp, count = 1) {
  await smtp.waitForMail(() => smtp.mailsTo(to).filter((m) => subject.test(m.subject ?? "")).length >= count);
  const matching = smtp.mailsTo(to).filter((m) => subject.test(m.subject ?? ""));
  return matching[matching.length - 1]!;
}

const RESET = /Reset your VoiceAssist password/;
const VERIFY = /Verify your email address/;
const CHANGED = /password was changed/;
const CONFIRM_NEW = /Confirm your new email address/;
const NOTICE = /email address is changing/;
const INVITE = /You are invited/;

const userRow = async (id: string) => (await server.deps.api.db.select().from(users).where(eq(users.id, id)))[0]!;

async function requestReset(email: string, ip = randomIp()) {
  return clientFrom(server, ip).auth.requestPasswordReset.mutate({ email });
}

describe("forgot password → reset", () => {
  it("mails a fragment link, resets, kills the live session, marks verified and says the password changed", async () => {
    const me = await signUp(server);
    expect((await userRow(me.user.id)).emailVerifiedAt).toBeNull();
    expect(await requestReset(me.email.toUpperCase())).toEqual({ success: true });
    const mail = await mailTo(me.email, RESET);
    expect(mail.text).toMatch(/https:\/\/app\.clinic\.example\/reset-password#token=[A-Za-z0-9_-]{43}\n/);
    expect(mail.text).toMatch(/1 hour/);
    expect(mail.html).toContain('href="https://app.clinic.example/reset-password#token=');
    const token = tokenFromMail(mail);

    expect(await clientFrom(server).auth.resetPassword.mutate({ token, newPassword: NEW_PASSWORD })).toEqual({ success: true });
    // The session that was live during the reset is dead, access and refresh alike.
    expect(await codeOf(me.client.auth.me.query())).toBe("UNAUTHORIZED");
    expect(await codeOf(clientFrom(server).auth.refresh.mutate({ refreshToken: me.tokens.refreshToken }))).toBe("UNAUTHORIZED");
    expect(await codeOf(signIn(server, me.email, PASSWORD))).toBe("UNAUTHORIZED");
    expect((await signIn(server, me.email, NEW_PASSWORD)).user.emailVerifiedAt).toBeInstanceOf(Date);
    const changed = await mailTo(me.email, CHANGED);
    expect(changed.text).toContain("If this wasn't you");
    expect(changed.text).not.toMatch(/#token=/);

    // Replayed: refused, and nothing changes.
    expect(await refusalOf(clientFrom(server).auth.resetPassword.mutate({ token, newPassword: "yet-another-passphrase" }))).toBe(
      "BAD_REQUEST/INVALID_TOKEN",
    );
    expect((await signIn(server, me.email, NEW_PASSWORD)).user.id).toBe(me.user.id);
    const audit = await server.deps.api.db
      .select({ action: auditEvents.action, outcome: auditEvents.outcome })
      .from(auditEvents)
      .where(eq(auditEvents.targetUserId, me.user.id));
    expect(audit).toEqual(
      expect.arrayContaining([
        { action: "auth.password_reset.requested", outcome: "success" },
        { action: "auth.password_reset", outcome: "success" },
      ]),
    );
  });

  it("answers an unknown email exactly like a known one, and mails nothing", async () => {
    const email = uniqueEmail("nobody");
    expect(await requestReset(email)).toEqual({ success: true });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(smtp.mailsTo(email)).toHaveLength(0);
  });

  it("refuses an expired token", async () => {
    const me = await signUp(server);
    await requestReset(me.email);
    const token = tokenFromMail(await mailTo(me.email, RESET));
    await server.deps.api.db
      .update(accountTokens)
      .set({ expiresAt: sql`now() - interval '1 second'` })
      .where(eq(accountTokens.tokenHash, createHash("sha256").update(token).digest("hex")));
    expect(await refusalOf(clientFrom(server).auth.resetPassword.mutate({ token, newPassword: NEW_PASSWORD }))).toBe(
      "BAD_REQUEST/INVALID_TOKEN",
    );
    expect((await signIn(server, me.email, PASSWORD)).user.id).toBe(me.user.id);
  });

  it("gives tokens an hour", async () => {
    const me = await signUp(server);
    await requestReset(me.email);
    const [row] = await server.deps.api.db
      .select({ lifetime: sql<number>`extract(epoch from ${accountTokens.expiresAt} - ${accountTokens.createdAt})::int` })
      .from(accountTokens)
      .where(and(eq(accountTokens.userId, me.user.id), eq(accountTokens.purpose, "password_reset")));
    expect(row?.lifetime).toBe(3600);
  });

  it("refuses an older token once a newer one was requested", async () => {
    const me = await signUp(server);
    await requestReset(me.email);
    const older = tokenFromMail(await mailTo(me.email, RESET, 1));
    await requestReset(me.email);
    const newer = tokenFromMail(await mailTo(me.email, RESET, 2));
    expect(newer).not.toBe(older);
    expect(await refusalOf(clientFrom(server).auth.resetPassword.mutate({ token: older, newPassword: NEW_PASSWORD }))).toBe(
      "BAD_REQUEST/INVALID_TOKEN",
    );
    expect(await clientFrom(server).auth.resetPassword.mutate({ token: newer, newPassword: NEW_PASSWORD })).toEqual({ success: true });
  });

  it("binds a token to its purpose: a verify token resets nothing, a reset token verifies nothing", async () => {
    const me = await signUp(server);
    const verifyToken = tokenFromMail(await mailTo(me.email, VERIFY));
    await requestReset(me.email);
    const resetToken = tokenFromMail(await mailTo(me.email, RESET));
    expect(await refusalOf(clientFrom(server).auth.resetPassword.mutate({ token: verifyToken, newPassword: NEW_PASSWORD }))).toBe(
      "BAD_REQUEST/INVALID_TOKEN",
    );
    expect(await refusalOf(clientFrom(server).auth.verifyEmail.mutate({ token: resetToken }))).toBe("BAD_REQUEST/INVALID_TOKEN");
    expect(await refusalOf(clientFrom(server).auth.confirmEmailChange.mutate({ token: resetToken }))).toBe("BAD_REQUEST/INVALID_TOKEN");
    expect(await refusalOf(clientFrom(server).auth.acceptInvite.mutate({ token: resetToken, password: NEW_PASSWORD }))).toBe(
      "BAD_REQUEST/INVALID_TOKEN",
    );
    // Both still work for what they were made for.
    expect(await clientFrom(server).auth.verifyEmail.mutate({ token: verifyToken })).toEqual({ success: true });
    expect(await clientFrom(server).auth.resetPassword.mutate({ token: resetToken, newPassword: NEW_PASSWORD })).toEqual({ success: true });
  });

  it("refuses a malformed token and a weak password without spending the token", async () => {
    const me = await signUp(server);
    await requestReset(me.email);
    const token = tokenFromMail(await mailTo(me.email, RESET));
    expect(await refusalOf(clientFrom(server).auth.resetPassword.mutate({ token: "nope", newPassword: NEW_PASSWORD }))).toBe(
      "BAD_REQUEST/INVALID_TOKEN",
    );
    expect(await refusalOf(clientFrom(server).auth.resetPassword.mutate({ token, newPassword: "password" }))).toBe(
      "BAD_REQUEST/COMMON_PASSWORD",
    );
    expect(await refusalOf(clientFrom(server).auth.resetPassword.mutate({ token, newPassword: me.email }))).toBe(
      "BAD_REQUEST/COMMON_PASSWORD",
    );
    expect(await clientFrom(server).auth.resetPassword.mutate({ token, newPassword: NEW_PASSWORD })).toEqual({ success: true });
  });

  it("lifts ACCOUNT_LOCKED", async () => {
    const me = await signUp(server);
    await server.deps.api.db.insert(loginFailures).values({ emailHash: createHash("sha256").update(me.email).digest("hex"), failures: 20 });
    expect(await refusalOf(signIn(server, me.email, PASSWORD))).toBe("TOO_MANY_REQUESTS/ACCOUNT_LOCKED");
    await requestReset(me.email);
    const token = tokenFromMail(await mailTo(me.email, RESET));
    await clientFrom(server).auth.resetPassword.mutate({ token, newPassword: NEW_PASSWORD });
    expect((await signIn(server, me.email, NEW_PASSWORD)).user.id).toBe(me.user.id);
  });

  it("holds 3 requests per hour per email, whatever the IP, and 5 per IP", async () => {
    const me = await signUp(server);
    for (let i = 0; i < 3; i++) expect(await codeOf(requestReset(me.email))).toBe("OK");
    expect(await codeOf(requestReset(me.email))).toBe("TOO_MANY_REQUESTS");
    expect(await codeOf(requestReset(me.email.toUpperCase()))).toBe("TOO_MANY_REQUESTS");
    await mailTo(me.email, RESET, 3);

    const ip = randomIp();
    for (let i = 0; i < 5; i++) expect(await codeOf(requestReset(uniqueEmail("ip"), ip))).toBe("OK");
    expect(await codeOf(requestReset(uniqueEmail("ip"), ip))).toBe("TOO_MANY_REQUESTS");
  });

  it("lets an admin send a reset link", async () => {
    const admin = await signUpAdmin(server);
    const target = await signUp(server);
    expect(await admin.client.users.sendPasswordReset.mutate({ id: target.user.id })).toEqual({ success: true });
    const token = tokenFromMail(await mailTo(target.email, RESET));
    await clientFrom(server).auth.resetPassword.mutate({ token, newPassword: NEW_PASSWORD });
    const again = await signIn(server, target.email, NEW_PASSWORD);
    expect(again.user.id).toBe(target.user.id);
    expect(await codeOf(again.client.users.sendPasswordReset.mutate({ id: target.user.id }))).toBe("FORBIDDEN");
  });

  it("mails 'password changed' after users.changePassword", async () => {
    const me = await signUp(server);
    await me.client.users.changePassword.mutate({ currentPassword: PASSWORD, newPassword: NEW_PASSWORD });
    expect((await mailTo(me.email, CHANGED)).text).toContain("password of your VoiceAssist account was just changed");
  });
});

describe("email verification", () => {
  it("registration mails a 24-hour link that records emailVerifiedAt once", async () => {
    const me = await signUp(server);
    const mail = await mailTo(me.email, VERIFY);
    expect(mail.text).toMatch(/https:\/\/app\.clinic\.example\/verify-email#token=/);
    expect(mail.text).toMatch(/24 hours/);
    const token = tokenFromMail(mail);
    expect(await clientFrom(server).auth.verifyEmail.mutate({ token })).toEqual({ success: true });
    expect((await me.client.users.me.query()).emailVerifiedAt).toBeInstanceOf(Date);
    expect(await refusalOf(clientFrom(server).auth.verifyEmail.mutate({ token }))).toBe("BAD_REQUEST/INVALID_TOKEN");
  });

  it("resendVerification sends a fresh link (the old one dies), 3 per hour per user, and nothing once verified", async () => {
    const me = await signUp(server);
    const first = tokenFromMail(await mailTo(me.email, VERIFY, 1));
    expect(await me.client.auth.resendVerification.mutate()).toEqual({ success: true });
    const second = tokenFromMail(await mailTo(me.email, VERIFY, 2));
    expect(await refusalOf(clientFrom(server).auth.verifyEmail.mutate({ token: first }))).toBe("BAD_REQUEST/INVALID_TOKEN");
    await me.client.auth.resendVerification.mutate();
    await me.client.auth.resendVerification.mutate();
    expect(await codeOf(me.client.auth.resendVerification.mutate())).toBe("TOO_MANY_REQUESTS");
    await mailTo(me.email, VERIFY, 4);
    // The second link was voided by the later ones; the newest works.
    expect(await refusalOf(clientFrom(server).auth.verifyEmail.mutate({ token: second }))).toBe("BAD_REQUEST/INVALID_TOKEN");
    const newest = tokenFromMail(await mailTo(me.email, VERIFY, 4));
    expect(await clientFrom(server).auth.verifyEmail.mutate({ token: newest })).toEqual({ success: true });
  });
});

describe("email change", () => {
  it("needs the password, mails both addresses, and changes nothing until confirmed", async () => {
    const me = await signUp(server);
    const newEmail = uniqueEmail("moved");
    expect(await codeOf(me.client.users.requestEmailChange.mutate({ newEmail, currentPassword: "not-my-password" }))).toBe("BAD_REQUEST");
    expect(await me.client.users.requestEmailChange.mutate({ newEmail: newEmail.toUpperCase(), currentPassword: PASSWORD })).toEqual({
      pendingEmail: newEmail,
    });
    const confirm = await mailTo(newEmail, CONFIRM_NEW);
    expect(confirm.text).toMatch(/https:\/\/app\.clinic\.example\/confirm-email#token=/);
    const notice = await mailTo(me.email, NOTICE);
    expect(notice.text).toContain(newEmail);
    expect(notice.text).not.toMatch(/#token=/);
    expect(await me.client.users.me.query()).toMatchObject({ email: me.email, pendingEmail: newEmail });
    expect((await signIn(server, me.email)).user.id).toBe(me.user.id);

    expect(await clientFrom(server).auth.confirmEmailChange.mutate({ token: tokenFromMail(confirm) })).toEqual({ success: true });
    const after = await signIn(server, newEmail);
    expect(after.user).toMatchObject({ id: me.user.id, email: newEmail, pendingEmail: null });
    expect(after.user.emailVerifiedAt).toBeInstanceOf(Date);
    expect(await codeOf(signIn(server, me.email))).toBe("UNAUTHORIZED");
    expect(await refusalOf(clientFrom(server).auth.confirmEmailChange.mutate({ token: tokenFromMail(confirm) }))).toBe(
      "BAD_REQUEST/INVALID_TOKEN",
    );

    const events = await server.deps.api.db
      .select({ action: auditEvents.action, detail: auditEvents.detail })
      .from(auditEvents)
      .where(eq(auditEvents.targetUserId, me.user.id));
    expect(events).toEqual(
      expect.arrayContaining([
        { action: "user.email_change.requested", detail: expect.objectContaining({ from: me.email, to: newEmail }) },
        { action: "user.email_change", detail: expect.objectContaining({ from: me.email, to: newEmail }) },
      ]),
    );
  });

  it("refuses an address in use (CONFLICT), the same address, and a cancelled change's link", async () => {
    const other = await signUp(server);
    const me = await signUp(server);
    expect(await codeOf(me.client.users.requestEmailChange.mutate({ newEmail: other.email, currentPassword: PASSWORD }))).toBe("CONFLICT");
    expect(await codeOf(me.client.users.requestEmailChange.mutate({ newEmail: me.email, currentPassword: PASSWORD }))).toBe("BAD_REQUEST");
    const newEmail = uniqueEmail("cancelled");
    await me.client.users.requestEmailChange.mutate({ newEmail, currentPassword: PASSWORD });
    const token = tokenFromMail(await mailTo(newEmail, CONFIRM_NEW));
    expect((await me.client.users.cancelEmailChange.mutate()).pendingEmail).toBeNull();
    expect(await refusalOf(clientFrom(server).auth.confirmEmailChange.mutate({ token }))).toBe("BAD_REQUEST/INVALID_TOKEN");
    expect((await me.client.users.me.query()).email).toBe(me.email);
  });

  it("resends the confirmation (the old link dies), within the shared 3 per hour", async () => {
    const me = await signUp(server);
    const newEmail = uniqueEmail("resend");
    await me.client.users.requestEmailChange.mutate({ newEmail, currentPassword: PASSWORD });
    const first = tokenFromMail(await mailTo(newEmail, CONFIRM_NEW, 1));
    expect(await me.client.users.resendEmailChange.mutate()).toEqual({ pendingEmail: newEmail });
    const second = tokenFromMail(await mailTo(newEmail, CONFIRM_NEW, 2));
    expect(await refusalOf(clientFrom(server).auth.confirmEmailChange.mutate({ token: first }))).toBe("BAD_REQUEST/INVALID_TOKEN");
    await me.client.users.resendEmailChange.mutate();
    expect(await codeOf(me.client.users.resendEmailChange.mutate())).toBe("TOO_MANY_REQUESTS");
    expect(await refusalOf(clientFrom(server).auth.confirmEmailChange.mutate({ token: second }))).toBe("BAD_REQUEST/INVALID_TOKEN");
    const newest = tokenFromMail(await mailTo(newEmail, CONFIRM_NEW, 3));
    expect(await clientFrom(server).auth.confirmEmailChange.mutate({ token: newest })).toEqual({ success: true });
  });

  it("of two accounts confirming the same address at once, exactly one wins, every round", async () => {
    for (let round = 0; round < 15; round++) {
      const target = uniqueEmail(`race${round}`);
      const [a, b] = await Promise.all([signUp(server), signUp(server)]);
      await a!.client.users.requestEmailChange.mutate({ newEmail: target, currentPassword: PASSWORD });
      await b!.client.users.requestEmailChange.mutate({ newEmail: target, currentPassword: PASSWORD });
      await mailTo(target, CONFIRM_NEW, 2);
      const tokens = smtp.mailsTo(target).map((mail) => tokenFromMail(mail));
      const outcomes = await Promise.all(tokens.map((token) => codeOf(clientFrom(server).auth.confirmEmailChange.mutate({ token }))));
      expect(outcomes.sort(), `round ${round}`).toEqual(["CONFLICT", "OK"]);
      const owners = await server.deps.api.db.select({ id: users.id }).from(users).where(sql`lower(${users.email}) = ${target}`);
      expect(owners, `round ${round}`).toHaveLength(1);
    }
  });

  it("an admin's email change applies at once, unverified, and tells both addresses", async () => {
    const admin = await signUpAdmin(server);
    const target = await signUp(server);
    tokenFromMail(await mailTo(target.email, VERIFY));
    await clientFrom(server).auth.verifyEmail.mutate({ token: tokenFromMail(await mailTo(target.email, VERIFY)) });
    const newEmail = uniqueEmail("admin-moved");
    const updated = await admin.client.users.update.mutate({ id: target.user.id, email: newEmail });
    expect(updated).toMatchObject({ email: newEmail, emailVerifiedAt: null, pendingEmail: null });
    expect((await mailTo(target.email, NOTICE)).text).toContain("An administrator changed");
    const verify = await mailTo(newEmail, VERIFY);
    expect(await clientFrom(server).auth.verifyEmail.mutate({ token: tokenFromMail(verify) })).toEqual({ success: true });
    expect((await signIn(server, newEmail)).user.emailVerifiedAt).toBeInstanceOf(Date);
  });
});

describe("invitations", () => {
  it("invite → mail → accept → sign in; not before accepting", async () => {
    const admin = await signUpAdmin(server);
    const email = uniqueEmail("invitee");
    const invited = await admin.client.users.invite.mutate({ email, fullName: "Dr. Invited" });
    expect(invited).toMatchObject({ email, fullName: "Dr. Invited", isAdmin: false, isActive: true });
    expect(invited.invitedAt).toBeInstanceOf(Date);
    expect((await userRow(invited.id)).hashedPassword).toBeNull();
    const mail = await mailTo(email, INVITE);
    expect(mail.text).toMatch(/https:\/\/app\.clinic\.example\/accept-invite#token=/);
    expect(mail.text).toMatch(/72 hours/);

    // No password yet: every guess is refused like a wrong password.
    expect(await codeOf(signIn(server, email, PASSWORD))).toBe("UNAUTHORIZED");
    expect(await codeOf(signIn(server, email, ""))).toBe("BAD_REQUEST");

    const { user } = await clientFrom(server).auth.acceptInvite.mutate({
      token: tokenFromMail(mail),
      password: NEW_PASSWORD,
      fullName: "Dr. Accepted",
    });
    expect(user).toMatchObject({ id: invited.id, fullName: "Dr. Accepted", invitedAt: null });
    expect(user.emailVerifiedAt).toBeInstanceOf(Date);
    expect((await signIn(server, email, NEW_PASSWORD)).user.id).toBe(invited.id);
    expect(
      await refusalOf(clientFrom(server).auth.acceptInvite.mutate({ token: tokenFromMail(mail), password: "other-passphrase-1" })),
    ).toBe("BAD_REQUEST/INVALID_TOKEN");
  });

  it("re-inviting a pending invitee sends a fresh invitation; an existing account is CONFLICT", async () => {
    const admin = await signUpAdmin(server);
    const email = uniqueEmail("reinvite");
    await admin.client.users.invite.mutate({ email, isAdmin: true });
    const first = tokenFromMail(await mailTo(email, INVITE, 1));
    const again = await admin.client.users.invite.mutate({ email: email.toUpperCase() });
    expect(again.isAdmin).toBe(true);
    const second = tokenFromMail(await mailTo(email, INVITE, 2));
    expect(await refusalOf(clientFrom(server).auth.acceptInvite.mutate({ token: first, password: NEW_PASSWORD }))).toBe(
      "BAD_REQUEST/INVALID_TOKEN",
    );
    const { user } = await clientFrom(server).auth.acceptInvite.mutate({ token: second, password: NEW_PASSWORD });
    expect(user.isAdmin).toBe(true);
    expect(await codeOf(admin.client.users.invite.mutate({ email }))).toBe("CONFLICT");
    const registered = await signUp(server);
    expect(await codeOf(admin.client.users.invite.mutate({ email: registered.email }))).toBe("CONFLICT");
  });

  it("is not bound by the registration limit, and a password reset request re-sends the invitation", async () => {
    const admin = await signUpAdmin(server);
    const emails = Array.from({ length: 7 }, (_, i) => uniqueEmail(`bulk${i}`));
    for (const email of emails) await admin.client.users.invite.mutate({ email });
    for (const email of emails) await mailTo(email, INVITE);
    await requestReset(emails[0]!);
    const fresh = tokenFromMail(await mailTo(emails[0]!, INVITE, 2));
    expect((await clientFrom(server).auth.acceptInvite.mutate({ token: fresh, password: NEW_PASSWORD })).user.email).toBe(emails[0]);
  });

  it("is admin only", async () => {
    const user = await signUp(server);
    expect(await codeOf(user.client.users.invite.mutate({ email: uniqueEmail() }))).toBe("FORBIDDEN");
  });
});
