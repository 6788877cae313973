import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { totpCodeAt } from "@voiceassist/api";
import { PASSWORD, signUp, signUpAdmin } from "@voiceassist/testing/users";
import { createSoftAuthenticator } from "@voiceassist/testing/webauthn";

import { ACTION_TIMEOUT_MS, launchBrowser, screenshot } from "../support/browser";
import { startStack, type Stack } from "../support/stack";

const TITLE = "Your clinic requires a second factor for administrators";

/**
 * The admin panel in Chromium against a server with MFA_REQUIRED_FOR_ADMINS:
 * a password-only admin is led to enrolment, and an admin who signed in with
 * a code sees and resets a user's second factors. The panel's sign-in second
 * step is another screen; these sessions are handed to the panel as a
 * signed-in browser would hold them (its token slot in localStorage).
 */
describe("second factors in the admin panel", () => {
  let stack: Stack;
  let browser: Browser;
  beforeAll(async () => {
    stack = await startStack({ MFA_REQUIRED_FOR_ADMINS: "true" });
    browser = await launchBrowser();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  async function panelAs(tokens: { accessToken: string; refreshToken: string }, width: number, path: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    await context.addInitScript(
      (value) => {
        // Only the first load: "Sign in again" must be able to clear it.
        if (!sessionStorage.getItem("seeded")) {
          sessionStorage.setItem("seeded", "1");
          localStorage.setItem("voiceassist.admin.tokens", value);
        }
      },
      JSON.stringify({ accessToken: tokens.accessToken, refreshToken: tokens.refreshToken }),
    );
    const page = await context.newPage();
    page.setDefaultTimeout(ACTION_TIMEOUT_MS);
    await page.goto(`${stack.adminUrl}${path}`);
    return page;
  }

  it("a password-only admin meets the enrolment page on every section, linked to the web app's Security page", async () => {
    const admin = await signUpAdmin(stack.api);
    for (const width of [1280, 390]) {
      const page = await panelAs(admin.tokens, width, width === 1280 ? "/users" : "/audit");
      await page.getByRole("heading", { name: TITLE }).waitFor();
      expect(await page.getByRole("alert").count()).toBe(0);
      expect(await page.getByRole("link", { name: /Security page/ }).getAttribute("href")).toBe(`${stack.webUrl}/security`);
      const widths = await page.evaluate(() => ({ doc: document.documentElement.scrollWidth, view: window.innerWidth }));
      expect(widths.doc).toBeLessThanOrEqual(widths.view);
      await screenshot(page, `admin-mfa-${width}-enrolment-required`);
      if (width === 390) {
        await page.getByRole("button", { name: "Sign in again" }).click();
        await page.getByText("Sign in with your password, then your second factor.").waitFor();
        expect(new URL(page.url()).pathname).toBe("/sign-in");
        expect(await page.evaluate(() => localStorage.getItem("voiceassist.admin.tokens"))).toBeNull();
      }
      await page.context().close();
    }
  });

  it("an admin signed in with a code sees a user's factors and resets them after confirming", async () => {
    const target = await signUp(stack.api, { fullName: "Mia Factor" });
    const { secret: userSecret } = await target.client.mfa.totp.begin.mutate({ currentPassword: PASSWORD });
    await target.client.mfa.totp.confirm.mutate({ code: totpCodeAt(userSecret, Date.now()) });
    const options = await target.client.mfa.passkeys.registrationOptions.mutate({ currentPassword: PASSWORD });
    // A passkey made on the web app, as its Security page would (the stack allows only its own origins).
    const response = createSoftAuthenticator().register(options, { origin: stack.webUrl });
    await target.client.mfa.passkeys.register.mutate({ response, name: "Clinic laptop" });

    const admin = await signUpAdmin(stack.api);
    const { secret } = await admin.client.mfa.totp.begin.mutate({ currentPassword: PASSWORD });
    await admin.client.mfa.totp.confirm.mutate({ code: totpCodeAt(secret, Date.now()) });
    const challenge = await stack.api.client().auth.login.mutate({ email: admin.email, password: PASSWORD });
    if (!("mfaRequired" in challenge)) throw new Error("expected the password step to ask for a second factor");
    // The enrolment used up the current step; the next one is within the server's drift.
    const pair = await stack.api
      .client()
      .auth.mfa.verify.mutate({ challengeToken: challenge.challengeToken, totpCode: totpCodeAt(secret, Date.now() + 30_000) });

    const page = await panelAs(pair, 1280, `/users/${target.user.id}`);
    const card = page.getByRole("region", { name: "Second factors" });
    await card.getByText("Clinic laptop").waitFor();
    expect(await page.getByRole("heading", { name: TITLE }).count()).toBe(0);
    await screenshot(page, "admin-mfa-1280-user-factors");
    await card.getByRole("button", { name: "Reset second factors…" }).click();
    await card.getByRole("button", { name: "Yes, reset second factors" }).click();
    await page.getByRole("status").filter({ hasText: "Second factors reset" }).waitFor();
    await card.getByText("This user has no second factor").waitFor();
    const after = await stack.api.client({ getAccessToken: () => pair.accessToken }).users.byId.query({ id: target.user.id });
    expect(after.mfa).toEqual({ totp: false, passkeys: [], backupCodesRemaining: 0 });
    await page.context().close();
  });
});
