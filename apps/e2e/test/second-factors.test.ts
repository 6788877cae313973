import { randomBytes } from "node:crypto";

import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { isMfaChallenge } from "@voiceassist/client";
import { authenticatorApp, enrolTotp } from "@voiceassist/testing/totp";

import { createAdminAccount, registerUser } from "../support/accounts";
import { adminSignIn } from "../support/admin";
import { launchBrowser, openPage } from "../support/browser";
import { screenshotWidths } from "../support/shots";
import { startStack, type Stack } from "../support/stack";
import { expectProfile, signIn } from "../support/web";
import { addVirtualAuthenticator } from "../support/webauthn";

const unique = (label: string) => `${label}-${randomBytes(4).toString("hex")}@example.com`;

async function openSecurity(page: Page) {
  await expectProfile(page);
  await page.getByRole("link", { name: "Manage security and sessions" }).click();
  await page.getByRole("heading", { name: "Security", level: 1 }).waitFor();
}

async function signOut(page: Page) {
  await page.getByRole("link", { name: "← Back to your profile" }).click();
  await expectProfile(page);
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await page.getByRole("heading", { name: "Sign in" }).waitFor();
}

describe("second factors in the browser, against the real API", () => {
  let stack: Stack;
  let browser: Browser;

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it("a passkey made by Chromium's virtual authenticator: second step, passwordless, then removed", async () => {
    const account = { email: unique("ada"), password: "ada-password-1", fullName: "Ada" };
    await registerUser(stack, account);
    const page = await openPage(browser, stack.webUrl);
    const authenticator = await addVirtualAuthenticator(page);

    // Passwordless before any passkey exists: the browser finds none, and the page says what to do.
    await page.getByRole("button", { name: "Sign in with a passkey" }).click();
    await page.getByRole("alert").filter({ hasText: "cancelled or timed out, or this device has no passkey" }).waitFor();
    await screenshotWidths(page, "webmfa-sign-in-passkey-none");

    await signIn(page, account.email, account.password);
    await openSecurity(page);
    await screenshotWidths(page, "webmfa-security-empty");

    await page.getByRole("button", { name: "Add a passkey" }).click();
    const addForm = page.getByRole("form", { name: "Add a passkey" });
    await addForm.getByLabel("Name (optional)").fill("Test laptop");
    await screenshotWidths(page, "webmfa-passkey-add-form");
    // A wrong password is refused before the browser is asked for anything.
    await addForm.getByLabel("Current password").fill("not-my-password");
    await addForm.getByRole("button", { name: "Create passkey" }).click();
    await addForm.getByRole("alert").filter({ hasText: "Current password is incorrect" }).waitFor();
    expect(await authenticator.credentials()).toHaveLength(0);
    await addForm.getByLabel("Current password").fill(account.password);
    await addForm.getByRole("button", { name: "Create passkey" }).click();
    await page.getByRole("status").filter({ hasText: "Passkey “Test laptop” added" }).waitFor();
    const passkeys = page.getByRole("list", { name: "Your passkeys" });
    await passkeys.getByText("Test laptop").waitFor();
    const [made] = await authenticator.credentials();
    expect(made?.isResidentCredential).toBe(true);
    expect(made?.rpId).toBe("localhost");
    await screenshotWidths(page, "webmfa-security-passkey");
    // Its only factor, no codes, and this session signed in with the password alone: the page says what to do first.
    await page.getByRole("button", { name: "Remove Test laptop" }).click();
    await passkeys.getByText("This is your last passkey. To remove it, sign out and sign in again with it").waitFor();
    await screenshotWidths(page, "webmfa-passkey-remove-sign-in-first");
    await passkeys.getByRole("button", { name: "Keep it" }).click();

    // Password, then the passkey as the second step: only the method the account has is offered.
    await signOut(page);
    await signIn(page, account.email, account.password);
    await page.getByRole("heading", { name: "Confirm it's you" }).waitFor();
    expect(await page.getByLabel("Code from your authenticator app").count()).toBe(0);
    expect(await page.getByRole("button", { name: "Use a backup code" }).count()).toBe(0);
    await screenshotWidths(page, "webmfa-second-step-passkey-only");
    await page.getByRole("button", { name: "Use a passkey" }).click();
    await openSecurity(page);
    const sessions = page.getByRole("list", { name: "Your sessions" });
    await sessions.locator('li[aria-current="true"]').getByText("With a second factor").waitFor();
    const counterAfterSecondStep = (await authenticator.credentials())[0]?.signCount ?? 0;
    expect(counterAfterSecondStep).toBeGreaterThan(made?.signCount ?? 0);

    // Passwordless: no email, no password.
    await signOut(page);
    await page.getByRole("button", { name: "Sign in with a passkey" }).click();
    await openSecurity(page);
    expect((await authenticator.credentials())[0]?.signCount ?? 0).toBeGreaterThan(counterAfterSecondStep);
    await passkeys.getByText(/Last used (?!Never)/).waitFor();

    // The last factor, on a session that used it, with no codes to give: the password removes it.
    await page.getByRole("button", { name: "Remove Test laptop" }).click();
    const removeForm = page.getByRole("form", { name: "Remove Test laptop" });
    await screenshotWidths(page, "webmfa-passkey-remove");
    await removeForm.getByLabel("Current password").fill(account.password);
    await removeForm.getByRole("button", { name: "Remove passkey" }).click();
    await page.getByRole("status").filter({ hasText: "Passkey “Test laptop” removed" }).waitFor();
    await page.getByText("No passkeys yet.").waitFor();

    // The server forgot it: a password alone signs in again, and the passkey, still on the device, no longer does.
    const login = await stack.api.client().auth.login.mutate({ email: account.email, password: account.password });
    expect(isMfaChallenge(login)).toBe(false);
    expect(await authenticator.credentials()).toHaveLength(1);
    await signOut(page);
    await page.getByRole("button", { name: "Sign in with a passkey" }).click();
    await page.getByRole("alert").filter({ hasText: "That passkey did not sign you in" }).waitFor();
    expect(await page.getByRole("heading", { name: "Sign in" }).count()).toBe(1);
    await screenshotWidths(page, "webmfa-sign-in-passkey-refused");
  });

  it("an authenticator app: set up from the key on the page, then sign in with a code and with a backup code", async () => {
    const account = { email: unique("grace"), password: "grace-password-1", fullName: "Grace" };
    await registerUser(stack, account);
    const page = await openPage(browser, stack.webUrl);
    await signIn(page, account.email, account.password);
    await openSecurity(page);

    await page.getByRole("button", { name: "Set up an authenticator app" }).click();
    await page.getByRole("form", { name: "Confirm your password" }).getByLabel("Current password").fill(account.password);
    await page.getByRole("button", { name: "Continue" }).click();
    await page.getByRole("img", { name: /QR code/ }).waitFor();
    await page.getByText("Cannot scan it? Enter the key by hand").click();
    const shownKey = (await page.locator("code.secret").textContent()) ?? "";
    const app = authenticatorApp(shownKey);
    await screenshotWidths(page, "webmfa-totp-setup");

    const confirmForm = page.getByRole("form", { name: "Confirm the authenticator app" });
    await confirmForm.getByLabel("Code from the app").fill(app.code());
    await confirmForm.getByRole("button", { name: "Turn on" }).click();
    const codeList = page.getByRole("list", { name: "Backup codes" });
    await codeList.waitFor();
    const backupCodes = (await codeList.getByRole("listitem").allTextContents()).map((code) => code.trim());
    expect(backupCodes).toHaveLength(10);
    expect(new Set(backupCodes).size).toBe(10);
    await screenshotWidths(page, "webmfa-backup-codes");
    const download = page.waitForEvent("download");
    await page.getByRole("button", { name: "Download as .txt" }).click();
    const saved = await download;
    expect(saved.suggestedFilename()).toBe("voiceassist-backup-codes.txt");
    const file = await saved.createReadStream();
    let text = "";
    for await (const chunk of file) text += String(chunk);
    for (const code of backupCodes) expect(text).toContain(code);

    await page.getByRole("button", { name: "I have saved them" }).click();
    await page.getByRole("status").filter({ hasText: "The authenticator app is on" }).waitFor();
    await page.getByText("10 unused backup codes.").waitFor();
    expect(await page.getByRole("list", { name: "Backup codes" }).count()).toBe(0);
    await screenshotWidths(page, "webmfa-security-totp-on");

    // The second step: a wrong code is said to be wrong; the app's next code (the confirming one is spent) signs in.
    await signOut(page);
    await signIn(page, account.email, account.password);
    await page.getByRole("heading", { name: "Confirm it's you" }).waitFor();
    expect(await page.getByRole("button", { name: "Use a passkey" }).count()).toBe(0);
    const step = page.getByRole("form", { name: "Second step" });
    await step.getByLabel("Code from your authenticator app").fill("000000");
    await step.getByRole("button", { name: "Verify" }).click();
    await step.getByRole("alert").filter({ hasText: "That code is not right" }).waitFor();
    await screenshotWidths(page, "webmfa-second-step-wrong-code");
    await step.getByLabel("Code from your authenticator app").fill(app.code(1));
    await step.getByRole("button", { name: "Verify" }).click();
    await openSecurity(page);

    // A backup code instead, once.
    await signOut(page);
    await signIn(page, account.email, account.password);
    await page.getByRole("button", { name: "Use a backup code" }).click();
    await step.getByLabel("Backup code").fill(backupCodes[0] ?? "");
    await screenshotWidths(page, "webmfa-second-step-backup-code");
    await step.getByRole("button", { name: "Verify" }).click();
    await openSecurity(page);
    await page.getByText("9 unused backup codes.").waitFor();

    // The same backup code does not work twice.
    await signOut(page);
    await signIn(page, account.email, account.password);
    await page.getByRole("button", { name: "Use a backup code" }).click();
    await step.getByLabel("Backup code").fill(backupCodes[0] ?? "");
    await step.getByRole("button", { name: "Verify" }).click();
    await step.getByRole("alert").filter({ hasText: "That code is not right, or it was already used" }).waitFor();

    // Six more codes spent elsewhere and one here leave two: the Security page warns.
    for (const code of backupCodes.slice(1, 7)) {
      const elsewhere = stack.api.client({ headers: () => ({ "x-forwarded-for": `10.9.${randomBytes(1)[0]}.${randomBytes(1)[0]}` }) });
      const login = await elsewhere.auth.login.mutate({ email: account.email, password: account.password });
      if (!isMfaChallenge(login)) throw new Error("expected a second step");
      await elsewhere.auth.mfa.verify.mutate({ challengeToken: login.challengeToken, backupCode: code });
    }
    await page.getByRole("button", { name: "Cancel and start again" }).click();
    await signIn(page, account.email, account.password);
    // (The app's codes up to the next step are spent; a later one would be outside the drift window.)
    await page.getByRole("button", { name: "Use a backup code" }).click();
    await step.getByLabel("Backup code").fill(backupCodes[7] ?? "");
    await step.getByRole("button", { name: "Verify" }).click();
    await openSecurity(page);
    await page.getByText("Only 2 backup codes left.").waitFor();
    await screenshotWidths(page, "webmfa-security-few-codes");
  });

  it("the admin panel asks an admin with an authenticator app for the second step", async () => {
    const operator = { email: unique("root"), password: "root-password-1" };
    await createAdminAccount(stack, operator);
    const headers = { "x-forwarded-for": "10.8.0.1" };
    const login = await stack.api.client({ headers: () => headers }).auth.login.mutate(operator);
    if (isMfaChallenge(login)) throw new Error("a new admin has no second factor");
    const { app } = await enrolTotp(
      stack.api.client({ headers: () => headers, getAccessToken: () => login.accessToken }),
      operator.password,
    );

    const page = await openPage(browser, stack.adminUrl);
    await adminSignIn(page, operator.email, operator.password);
    await page.getByRole("heading", { name: "Confirm it's you" }).waitFor();
    await screenshotWidths(page, "webmfa-admin-second-step");
    await page.getByLabel("Code from your authenticator app").fill(app.code(1));
    await page.getByRole("button", { name: "Verify" }).click();
    await page.getByRole("heading", { name: "Users" }).waitFor();
  });
});
