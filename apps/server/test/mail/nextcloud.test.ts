import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { nextcloudProvisioning } from "@voiceassist/db";
import { startFakeNextcloud } from "@voiceassist/testing/nextcloud";
import { startTestServer, type TestServer } from "@voiceassist/testing/server";
import { startSmtpCatcher, tokenFromMail, type SmtpCatcher } from "@voiceassist/testing/smtp";
import { until } from "@voiceassist/testing/wait";
import { clientFrom, PASSWORD, signUp, signUpAdmin, uniqueEmail } from "@voiceassist/testing/users";

// A confirmed email change, and an accepted invitation, reach Nextcloud through the provisioning queue.
const ADMIN_PASSWORD = "Nc-Admin-Pass-For-Tests!42";

describe("account lifecycle with Nextcloud configured", () => {
  let fake: Awaited<ReturnType<typeof startFakeNextcloud>>;
  let smtp: SmtpCatcher;
  let server: TestServer;
  beforeAll(async () => {
    fake = await startFakeNextcloud({ adminPassword: ADMIN_PASSWORD, bruteForceBaseDelayMs: 1 });
    smtp = await startSmtpCatcher();
    server = await startTestServer({
      env: {
        NEXTCLOUD_URL: fake.url,
        NEXTCLOUD_ADMIN_USER: "admin",
        NEXTCLOUD_ADMIN_PASSWORD: ADMIN_PASSWORD,
        PROVISIONING_POLL_MS: "50",
        PROVISIONING_BACKOFF_MS: "50",
        SMTP_URL: smtp.url,
        MAIL_POLL_MS: "50",
      },
    });
  });
  afterAll(async () => {
    await server?.close();
    await smtp?.close();
    await fake?.close();
  });

  const provisioning = async (userId: string) =>
    (await server.deps.api.db.select().from(nextcloudProvisioning).where(eq(nextcloudProvisioning.userId, userId)))[0];

  it("a confirmed email change updates the Nextcloud account; a pending one does not", async () => {
    const me = await signUp(server);
    await until(async () => fake.users.get(me.user.id)?.email === me.email);
    const newEmail = uniqueEmail("nc-moved");
    await me.client.users.requestEmailChange.mutate({ newEmail, currentPassword: PASSWORD });
    const confirm = await smtp.waitForMail((mail) => smtp.mailsTo(newEmail).includes(mail));
    const before = await provisioning(me.user.id);
    expect(fake.users.get(me.user.id)?.email).toBe(me.email);

    await clientFrom(server).auth.confirmEmailChange.mutate({ token: tokenFromMail(confirm) });
    await until(async () => fake.users.get(me.user.id)?.email === newEmail);
    const after = await provisioning(me.user.id);
    expect(after?.generation).toBeGreaterThan(before?.generation ?? 0);
    await until(async () => (await provisioning(me.user.id))?.state === "provisioned");
  });

  it("an invitation is provisioned when accepted, not before", async () => {
    const admin = await signUpAdmin(server);
    const email = uniqueEmail("nc-invite");
    const invited = await admin.client.users.invite.mutate({ email });
    const mail = await smtp.waitForMail((m) => smtp.mailsTo(email).includes(m));
    expect(await provisioning(invited.id)).toBeUndefined();
    await clientFrom(server).auth.acceptInvite.mutate({ token: tokenFromMail(mail), password: "a-brand-new-passphrase" });
    await until(async () => fake.users.get(invited.id)?.email === email);
  });
});
