import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startTestServer, type TestServer } from "@voiceassist/testing/server";
import { until } from "@voiceassist/testing/wait";
import { clientFrom, codeOf, PASSWORD, refusalOf, signIn, signUpAdmin, uniqueEmail } from "@voiceassist/testing/users";

/** Without SMTP_URL: mail stays in the outbox and GET /dev/mailbox shows it (outside production). */
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ env: { REQUIRE_EMAIL_VERIFICATION: "true", MAIL_POLL_MS: "50" } });
});
afterAll(() => server?.close());

const mailboxPage = async (target = server) => {
  const response = await fetch(`${target.url}/dev/mailbox`);
  return { response, html: await response.text() };
};

/** The newest link to `page` on the mailbox page, once it is there. */
async function linkOnPage(page: string, email: string): Promise<string> {
  let link: string | undefined;
  await until(async () => {
    const { html } = await mailboxPage();
    const entry = html.split("<article>").find((part) => part.includes(`To ${email}`) && part.includes(`/${page}#token=`));
    link = entry ? /href="([^"]+)"/.exec(entry)?.[1] : undefined;
    return link !== undefined;
  });
  return link!.replace(/&amp;/g, "&");
}

describe("dev mailbox", () => {
  it("lists mails newest first with clickable links, under a CSP that allows its style and no script", async () => {
    const first = uniqueEmail("first");
    const second = uniqueEmail("second");
    await clientFrom(server).auth.register.mutate({ email: first, password: PASSWORD });
    await clientFrom(server).auth.register.mutate({ email: second, password: PASSWORD });
    await linkOnPage("verify-email", second);
    const { response, html } = await mailboxPage();
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const csp = response.headers.get("content-security-policy") ?? "";
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).toMatch(/style-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(csp).not.toMatch(/unsafe-inline|script-src/);
    expect(html).toContain("Development mailbox");
    expect(html.indexOf(`To ${second}`)).toBeGreaterThan(-1);
    expect(html.indexOf(`To ${second}`)).toBeLessThan(html.indexOf(`To ${first}`));
    expect(html).toMatch(/<a href="http:\/\/localhost:3000\/verify-email#token=[A-Za-z0-9_-]{43}">/);
    expect(html).toContain("kept here (no SMTP)");
  });

  it("escapes what users typed", async () => {
    const admin = await signUpAdmin(server);
    await admin.client.users.update.mutate({ id: admin.user.id, fullName: `<script>alert(1)</script>` });
    await admin.client.users.invite.mutate({ email: uniqueEmail("escaped") });
    await until(async () => (await mailboxPage()).html.includes("invited you"));
    const { html } = await mailboxPage();
    expect(html).not.toContain("<script>alert(1)</script>");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  });

  it("REQUIRE_EMAIL_VERIFICATION: a right password on an unverified email is FORBIDDEN until the link from the mailbox is opened", async () => {
    const email = uniqueEmail("newcomer");
    await clientFrom(server).auth.register.mutate({ email, password: PASSWORD });
    expect(await refusalOf(signIn(server, email, PASSWORD))).toBe("FORBIDDEN/EMAIL_NOT_VERIFIED");
    // A wrong password learns nothing about verification.
    expect(await refusalOf(signIn(server, email, "wrong-password-1"))).toBe("UNAUTHORIZED");
    const link = await linkOnPage("verify-email", email);
    const token = decodeURIComponent(new URL(link).hash.replace("#token=", ""));
    await clientFrom(server).auth.verifyEmail.mutate({ token });
    expect((await signIn(server, email, PASSWORD)).user.emailVerifiedAt).toBeInstanceOf(Date);
  });

  it("a newcomer who forgot the password recovers it from the mailbox", async () => {
    const email = uniqueEmail("forgetful");
    await clientFrom(server).auth.register.mutate({ email, password: PASSWORD });
    await clientFrom(server).auth.requestPasswordReset.mutate({ email });
    const link = await linkOnPage("reset-password", email);
    const token = decodeURIComponent(new URL(link).hash.replace("#token=", ""));
    await clientFrom(server).auth.resetPassword.mutate({ token, newPassword: "remembered-at-last" });
    // The reset proved the address, so REQUIRE_EMAIL_VERIFICATION lets it in.
    expect(await codeOf(signIn(server, email, "remembered-at-last"))).toBe("OK");
  });
});

describe("in production", () => {
  let production: TestServer;
  beforeAll(async () => {
    production = await startTestServer({ env: { NODE_ENV: "production" } });
  });
  afterAll(() => production?.close());

  it("the dev mailbox does not exist", async () => {
    const { response } = await mailboxPage(production);
    expect(response.status).toBe(404);
  });
});
