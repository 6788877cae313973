import { randomBytes } from "node:crypto";

import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import { isMfaChallenge } from "@voiceassist/client";
import { enrolTotp } from "@voiceassist/testing/totp";
import { randomIp, signUpAdmin } from "@voiceassist/testing/users";

import { registerUser } from "../support/accounts";
import { launchBrowser, openPage } from "../support/browser";
import { BACKCHANNEL_LOGOUT_EVENT, startRelyingParty } from "../support/relying-party";
import { screenshotWidths } from "../support/shots";
import { startStack, type Stack } from "../support/stack";
import { signIn } from "../support/web";

const APP_NAME = "Clinic Notes";
const unique = (label: string) => `${label}-${randomBytes(4).toString("hex")}@example.com`;

/**
 * Holds the page's call that completes the sign-in while `look` runs, so its "Signing you in…"
 * state stays on screen (Playwright's locators would wait out a held navigation instead).
 */
async function whileSigningIn(page: Page, look: () => Promise<void>) {
  let release = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  const pattern = (url: URL) => url.pathname.includes("oidc.interaction.complete");
  const handled: Promise<void>[] = [];
  await page.route(pattern, (route) => {
    const done = held.then(() => route.continue());
    handled.push(done);
    return done;
  });
  try {
    await look();
  } finally {
    release();
    // Unrouting before the held calls went on would hand them on twice.
    await Promise.all(handled);
    await page.unroute(pattern);
  }
}

describe("single sign-on in the browser: a clinic application signs in with VoiceAssist", () => {
  let stack: Stack;
  let browser: Browser;
  let rp: Awaited<ReturnType<typeof startRelyingParty>>;

  beforeAll(async () => {
    [stack, browser, rp] = await Promise.all([
      // Back-channel logouts are looked for every 100 ms, so the test sees one soon after it is queued.
      startStack({ OIDC_LOGOUT_POLL_MS: "100", OIDC_LOGOUT_BACKOFF_MS: "100" }, { sso: true }),
      launchBrowser(),
      startRelyingParty(),
    ]);
    const admin = await signUpAdmin(stack.api);
    const client = await admin.client.oidc.clients.create.mutate({
      name: APP_NAME,
      redirectUris: [rp.redirectUri],
      backchannelLogoutUri: rp.backchannelLogoutUri,
    });
    await rp.connect(stack.issuer ?? "", client.clientId, client.clientSecret);
  });
  afterAll(async () => {
    await browser?.close();
    await rp?.close();
    await stack?.close();
  });

  it("password then TOTP, back at the application signed in; again without a form; sign out everywhere reaches it", async () => {
    const account = { email: unique("grace"), password: "grace-password-1", fullName: "Grace Hopper" };
    await registerUser(stack, account);
    const headers = { "x-forwarded-for": randomIp() };
    const login = await stack.api
      .client({ headers: () => headers })
      .auth.login.mutate({ email: account.email, password: account.password });
    if (isMfaChallenge(login)) throw new Error("a new account has no second factor yet");
    const { app } = await enrolTotp(
      stack.api.client({ headers: () => headers, getAccessToken: () => login.accessToken }),
      account.password,
    );

    // The application sends the browser to VoiceAssist, which hands it to the web app's page.
    const page = await openPage(browser, rp.origin);
    await page.getByRole("link", { name: "Sign in with VoiceAssist" }).click();
    await page.getByText(`${APP_NAME} wants you to sign in with your VoiceAssist account.`).waitFor();
    expect(new URL(page.url()).origin).toBe(stack.webUrl);
    expect(new URL(page.url()).pathname).toBe("/oidc/login");
    await screenshotWidths(page, "sso-sign-in");

    await signIn(page, account.email, account.password);
    await page.getByRole("heading", { name: "Confirm it's you" }).waitFor();
    await page.getByLabel("Code from your authenticator app").fill(app.code(1));
    await whileSigningIn(page, async () => {
      await page.getByRole("button", { name: "Verify" }).click();
      await page.getByRole("heading", { name: `Signing you in to ${APP_NAME}…` }).waitFor();
    });
    await page.getByText(`Signed in as ${account.email}`).waitFor();
    expect(page.url().startsWith(`${rp.origin}/callback`)).toBe(true);
    const [first] = rp.signIns;
    expect(first?.claims.amr).toEqual(["pwd", "otp"]);

    // A second sign-in while the web session lives: no form, the page goes on at once.
    await whileSigningIn(page, async () => {
      await page.goto(`${rp.origin}/login`);
      await page.getByRole("heading", { name: `Signing you in to ${APP_NAME}…` }).waitFor();
      expect(await page.getByLabel("Password").count()).toBe(0);
      await screenshotWidths(page, "sso-signing-in");
    });
    await page.getByText(`Signed in as ${account.email}`).waitFor();
    expect(rp.signIns).toHaveLength(2);
    expect(rp.signIns[1]?.claims.sub).toBe(first?.claims.sub);

    // "Sign out everywhere" in the web app: the application hears of it through its back-channel endpoint.
    expect(rp.logouts).toHaveLength(0);
    await page.goto(`${stack.webUrl}/profile`);
    await page.getByRole("button", { name: "Sign out everywhere" }).click();
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    await vi.waitFor(() => expect(rp.logouts.length).toBeGreaterThan(0), { timeout: 20_000, interval: 100 });
    for (const delivery of rp.logouts) {
      expect(delivery.error).toBeNull();
      expect(delivery.claims).toMatchObject({ sub: first?.claims.sub, sid: first?.claims.sid });
      expect(delivery.claims?.events).toEqual({ [BACKCHANNEL_LOGOUT_EVENT]: {} });
      expect(delivery.claims).not.toHaveProperty("nonce");
    }
    expect(first?.claims.sid).toBeTruthy();
  });

  it("screens: an expired request, a fresh sign-in asked for, and an account that may not sign in", async () => {
    const page = await openPage(browser, `${stack.webUrl}/oidc/login?uid=an-expired-request`);
    await page.getByRole("heading", { name: "This sign-in request has expired" }).waitFor();
    await screenshotWidths(page, "sso-expired");

    // Signed in to the web app, then locked by 20 wrong passwords from elsewhere: the session lives, SSO refuses.
    const account = { email: unique("locked"), password: "locked-password-1" };
    await registerUser(stack, account);
    await page.goto(`${stack.webUrl}/sign-in`);
    await signIn(page, account.email, account.password);
    await page.getByRole("heading", { name: "Your profile" }).waitFor();
    // An application asking for a fresh sign-in: the form again, saying why.
    await page.goto(`${rp.origin}/login?prompt=login`);
    await page.getByRole("status").filter({ hasText: "For your safety, this application asks you to sign in again." }).waitFor();
    await screenshotWidths(page, "sso-sign-in-again");
    for (let attempt = 0; attempt < 20; attempt++) {
      const headers = { "x-forwarded-for": randomIp() };
      await stack.api
        .client({ headers: () => headers })
        .auth.login.mutate({ email: account.email, password: "wrong-password" })
        .catch(() => undefined);
    }
    await page.goto(`${rp.origin}/login`);
    await page.getByRole("heading", { name: `You cannot sign in to ${APP_NAME}` }).waitFor();
    await screenshotWidths(page, "sso-refused");
  });
});
