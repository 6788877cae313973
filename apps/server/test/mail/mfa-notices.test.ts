import { and, eq } from "drizzle-orm";
import type { ParsedMail } from "mailparser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { resetUserMfa, totpCodeAt } from "@voiceassist/api";
import { mailOutbox } from "@voiceassist/db";
import { startTestServer, type TestServer } from "@voiceassist/testing/server";
import { startSmtpCatcher, type SmtpCatcher } from "@voiceassist/testing/smtp";
import { codeOf, PASSWORD, signIn, signUp, signUpAdmin } from "@voiceassist/testing/users";
import { createSoftAuthenticator } from "@voiceassist/testing/webauthn";

/**
 * Every change to a user's second factors mails them, through the outbox, in
 * the change's own transaction: each kind arrives at a real (in-process) SMTP
 * server with its subject and body, and a change that fails sends nothing.
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

const ORIGIN = "http://localhost:3000";
const SECURITY_LINK = "https://app.clinic.example/security";
const NOT_YOU = /If this wasn't you, reset your VoiceAssist password now from the sign-in page and contact your administrator/;

/** The mails to `to` whose subject matches, once `count` of them have arrived. */
async function mailsTo(to: string, subject: RegExp, count = 1): Promise<ParsedMail[]> {
  await smtp.waitForMail(() => smtp.mailsTo(to).filter((m) => subject.test(m.subject ?? "")).length >= count);
  return smtp.mailsTo(to).filter((m) => subject.test(m.subject ?? ""));
}

const outboxRows = (userId: string, template: string) =>
  server.deps.api.db
    .select({ subject: mailOutbox.subject })
    .from(mailOutbox)
    .where(and(eq(mailOutbox.userId, userId), eq(mailOutbox.template, template)));

/** A signed-up user with TOTP on (the enrolment's own mail is checked in the first test). */
async function enrolledUser() {
  const me = await signUp(server);
  const { secret } = await me.client.mfa.totp.begin.mutate({ currentPassword: PASSWORD });
  const { backupCodes } = await me.client.mfa.totp.confirm.mutate({ code: totpCodeAt(secret, Date.now()) });
  return { ...me, secret, backupCodes };
}

describe("mails about second factors", () => {
  it("tells the user of each change they make: TOTP on, new backup codes, a passkey added and removed, TOTP off", async () => {
    const me = await enrolledUser();
    const [enabled] = await mailsTo(me.email, /^An authenticator app now protects your VoiceAssist account$/);
    expect(enabled?.text).toContain("An authenticator app was set up as a second factor");
    expect(enabled?.text).toContain("Your other sessions were signed out.");
    expect(enabled?.text).toContain(`Review your second factors:\n${SECURITY_LINK}`);
    expect(enabled?.text).toMatch(NOT_YOU);
    expect(enabled?.html).toContain(`href="${SECURITY_LINK}"`);
    expect(enabled?.text).not.toContain(me.secret);

    const { backupCodes } = await me.client.mfa.backupCodes.regenerate.mutate({ code: me.backupCodes[0]! });
    const [regenerated] = await mailsTo(me.email, /^New backup codes for your VoiceAssist account$/);
    expect(regenerated?.text).toContain("The old ones no longer work.");
    expect(regenerated?.text).toMatch(NOT_YOU);
    expect(regenerated?.text).not.toContain(backupCodes[0]);

    // A name with markup: the text keeps it as typed, the HTML escapes it.
    const name = `Work <b>laptop</b> & "phone"`;
    const authenticator = createSoftAuthenticator();
    const options = await me.client.mfa.passkeys.registrationOptions.mutate({ currentPassword: PASSWORD });
    const key = await me.client.mfa.passkeys.register.mutate({ response: authenticator.register(options, { origin: ORIGIN }), name });
    const [added] = await mailsTo(me.email, /^A passkey was added to your VoiceAssist account$/);
    expect(added?.text).toContain(`A passkey named "${name}" was added`);
    expect(added?.html).toContain("Work &lt;b&gt;laptop&lt;/b&gt; &amp; &quot;phone&quot;");
    expect(added?.html).not.toContain("<b>laptop</b>");
    expect(added?.text).toMatch(NOT_YOU);

    await me.client.mfa.passkeys.remove.mutate({ id: key.id, code: backupCodes[0]! });
    const [removed] = await mailsTo(me.email, /^A passkey was removed from your VoiceAssist account$/);
    expect(removed?.text).toContain(`The passkey named "${name}" was removed`);

    await me.client.mfa.totp.disable.mutate({ code: backupCodes[1]! });
    const [disabled] = await mailsTo(me.email, /^The authenticator app was turned off for your VoiceAssist account$/);
    expect(disabled?.text).toContain("its codes stop working");
    expect(disabled?.text).toMatch(NOT_YOU);
  });

  it("tells the user when an administrator, or the command line, reset their factors", async () => {
    const admin = await signUpAdmin(server);
    const me = await enrolledUser();
    await admin.client.users.resetMfa.mutate({ id: me.user.id });
    const [byAdmin] = await mailsTo(me.email, /^Your VoiceAssist second factor was reset$/);
    expect(byAdmin?.text).toContain("An administrator removed the second factors");
    expect(byAdmin?.text).toContain("If you did not ask for this, tell your administrator at once.");

    // What `npm run admin:reset-mfa` runs, with the server's mail settings (its worker delivers).
    const again = await enrolledUserFor(me.email);
    await resetUserMfa(
      server.deps.api.db,
      null,
      { id: me.user.id },
      { ip: null, userAgent: "admin:reset-mfa", requestId: null },
      {
        settings: server.deps.api.mail.settings,
        wake: () => undefined,
      },
    );
    const resets = await mailsTo(me.email, /^Your VoiceAssist second factor was reset$/, 2);
    expect(resets[1]?.text).toContain("removed by your administrator from the server's command line");
    expect(await codeOf(again.client.auth.me.query())).toBe("UNAUTHORIZED");
  });

  it("sends nothing for a change that is refused, and one mail for two racing uses of one code", async () => {
    const me = await enrolledUser();
    await mailsTo(me.email, /^An authenticator app now protects/);
    // Refused: a wrong code disables nothing and regenerates nothing.
    expect(await codeOf(me.client.mfa.totp.disable.mutate({ code: "000000" }))).toBe("BAD_REQUEST");
    expect(await codeOf(me.client.mfa.backupCodes.regenerate.mutate({ code: "wrong-code" }))).toBe("BAD_REQUEST");

    // Two uses of the same backup code at once: one regenerates (one mail), the other is refused.
    const code = me.backupCodes[0]!;
    const results = await Promise.all([0, 1].map(() => codeOf(me.client.mfa.backupCodes.regenerate.mutate({ code }))));
    expect(results.sort()).toEqual(["BAD_REQUEST", "OK"]);
    await mailsTo(me.email, /^New backup codes/);

    // A later change's mail has arrived, so an earlier committed one would have too.
    const options = await me.client.mfa.passkeys.registrationOptions.mutate({ currentPassword: PASSWORD });
    await me.client.mfa.passkeys.register.mutate({ response: createSoftAuthenticator().register(options, { origin: ORIGIN }) });
    await mailsTo(me.email, /^A passkey was added/);
    expect(smtp.mailsTo(me.email).filter((m) => /turned off/.test(m.subject ?? ""))).toEqual([]);
    expect(smtp.mailsTo(me.email).filter((m) => /^New backup codes/.test(m.subject ?? ""))).toHaveLength(1);
    expect(await outboxRows(me.user.id, "mfa_changed")).toHaveLength(3);
  });
});

/** Signs in again after a reset (password only, no factor left) and sets TOTP up anew. */
async function enrolledUserFor(email: string) {
  const me = await signIn(server, email);
  const { secret } = await me.client.mfa.totp.begin.mutate({ currentPassword: PASSWORD });
  // The step the first enrolment used may be this one: a code from the next step is within drift.
  await me.client.mfa.totp.confirm.mutate({ code: totpCodeAt(secret, Date.now() + 30_000) });
  return me;
}
