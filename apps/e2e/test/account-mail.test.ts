import { randomBytes } from "node:crypto";

import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startSmtpCatcher, type SmtpCatcher } from "@voiceassist/testing/smtp";
import { until } from "@voiceassist/testing/wait";

import { createAdminAccount, registerUser } from "../support/accounts";
import { adminSignIn } from "../support/admin";
import { launchBrowser, openPage, screenshot } from "../support/browser";
import { linkFromMail } from "../support/mail";
import { startStack, type Stack } from "../support/stack";
import { expectProfile, signIn } from "../support/web";

const unique = (label: string) => `${label}-${randomBytes(4).toString("hex")}@example.com`;

/** Pictures the screen at desktop and phone width, and checks that nothing scrolls sideways. */
async function shotBoth(page: Page, name: string) {
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, `${name} scrolls sideways at ${width} px`).toBeLessThanOrEqual(0);
    await screenshot(page, `mail-${width}-${name}`);
  }
  await page.setViewportSize({ width: 1100, height: 900 });
}

/**
 * The account lifecycle as people live it, with every mail delivered over SMTP to a real
 * in-process server (smtp-server, parsed by mailparser) and its link followed in the browser.
 */
describe("account mail flows in the browser", () => {
  let smtp: SmtpCatcher;
  let stack: Stack;
  let browser: Browser;
  const operator = { email: unique("root"), password: "root-password-1" };

  beforeAll(async () => {
    smtp = await startSmtpCatcher();
    [stack, browser] = await Promise.all([startStack({ SMTP_URL: smtp.url }), launchBrowser()]);
    await createAdminAccount(stack, operator);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
    await smtp?.close();
  });

  it("forgot password → mail → reset → sign in with the new password", async () => {
    const person = { email: unique("ada"), password: "ada-password-1" };
    await registerUser(stack, person);
    const page = await openPage(browser, `${stack.webUrl}/sign-in`);
    await page.getByRole("link", { name: "Forgot password?" }).click();
    await page.getByRole("heading", { name: "Reset your password" }).waitFor();
    await page.getByLabel("Email").fill(person.email);
    await page.getByRole("button", { name: "Send reset link" }).click();
    await page.getByRole("status").filter({ hasText: "a reset link is on its way" }).waitFor();
    await shotBoth(page, "forgot-password");

    const link = await linkFromMail(smtp, person.email, /^Reset your/);
    expect(link.startsWith(`${stack.webUrl}/reset-password#token=`)).toBe(true);
    await page.goto(link);
    await page.getByRole("heading", { name: "Choose a new password" }).waitFor();
    await shotBoth(page, "reset-password");
    // A typo in the confirmation is caught before the token is spent.
    await page.getByLabel("New password", { exact: true }).fill("ada-new-password-2");
    await page.getByLabel("Confirm new password").fill("ada-new-password-3");
    await page.getByRole("button", { name: "Set new password" }).click();
    await page.getByText("The passwords do not match.").waitFor();
    await page.getByLabel("Confirm new password").fill("ada-new-password-2");
    await page.getByRole("button", { name: "Set new password" }).click();
    await page.getByRole("status").filter({ hasText: "Password changed" }).waitFor();

    await signIn(page, person.email, "ada-new-password-2");
    await expectProfile(page);

    // The link works once: followed again, it says so and offers a new one.
    await page.goto(link);
    await page.getByRole("heading", { name: "Choose a new password" }).waitFor();
    await page.getByLabel("New password", { exact: true }).fill("ada-new-password-4");
    await page.getByLabel("Confirm new password").fill("ada-new-password-4");
    await page.getByRole("button", { name: "Set new password" }).click();
    await page.getByRole("alert").filter({ hasText: "invalid, has expired or was already used" }).waitFor();
    await shotBoth(page, "reset-password-used");
    await page.context().close();
  });

  it("admin invites → invitee accepts from the mail → signs in", async () => {
    const invitee = { email: unique("grace"), password: "grace-password-1" };
    const admin = await openPage(browser, stack.adminUrl);
    await adminSignIn(admin, operator.email, operator.password);
    await admin.getByRole("heading", { name: "Users" }).waitFor();
    await admin.getByText("Invite user", { exact: true }).click();
    const form = admin.getByRole("form", { name: "Invite user" });
    await form.getByLabel("Email").fill(invitee.email);
    await form.getByLabel("Full name (optional)").fill("Grace Hopper");
    await form.getByRole("button", { name: "Send invitation" }).click();
    await admin
      .getByRole("status")
      .filter({ hasText: `Invitation sent to ${invitee.email}` })
      .waitFor();
    await admin.getByRole("row").filter({ hasText: invitee.email }).getByRole("cell", { name: "Invited" }).waitFor();
    await shotBoth(admin, "admin-invite");

    await admin.getByRole("link", { name: "Open this user" }).click();
    await admin.getByRole("heading", { name: `User ${invitee.email}` }).waitFor();
    await admin.getByRole("button", { name: "Resend invitation" }).click();
    await admin.getByRole("status").filter({ hasText: "A new invitation is on its way" }).waitFor();
    await shotBoth(admin, "admin-invited-user");

    // Two invitations went out; only the newest link works.
    await until(() => smtp.mailsTo(invitee.email).length === 2);
    const link = await linkFromMail(smtp, invitee.email, /invited/);
    expect(link.startsWith(`${stack.webUrl}/accept-invite#token=`)).toBe(true);
    const web = await openPage(browser, link);
    await web.getByRole("heading", { name: "Accept your invitation" }).waitFor();
    await shotBoth(web, "accept-invite");
    await web.getByLabel("Password", { exact: true }).fill(invitee.password);
    await web.getByLabel("Confirm password").fill(invitee.password);
    await web.getByRole("button", { name: "Accept invitation" }).click();
    await web.getByRole("status").filter({ hasText: "Your account is ready" }).waitFor();
    // The sign-in form is pre-filled with the invited address.
    expect(await web.getByLabel("Email").inputValue()).toBe(invitee.email);
    await signIn(web, invitee.email, invitee.password);
    await expectProfile(web);
    await web.locator(".summary").getByText("Grace Hopper").waitFor();
    await web.context().close();

    // The admin's page no longer shows an invitation once it is accepted.
    await admin.reload();
    await admin.getByRole("button", { name: "Send password reset" }).click();
    await admin.getByRole("status").filter({ hasText: "A password reset link is on its way" }).waitFor();
    await linkFromMail(smtp, invitee.email, /^Reset your/);
    await admin.context().close();
  });

  it("change email → confirm from the new address → sign in with it", async () => {
    const person = { email: unique("lin"), password: "lin-password-1" };
    const newEmail = unique("lin-new");
    await registerUser(stack, person);
    const page = await openPage(browser, `${stack.webUrl}/sign-in`);
    await signIn(page, person.email, person.password);
    await expectProfile(page);

    const form = page.getByRole("form", { name: "Change email" });
    await form.getByLabel("New email").fill(newEmail);
    await form.getByLabel("Current password").fill("not-my-password");
    await form.getByRole("button", { name: "Change email" }).click();
    await form.getByRole("alert").filter({ hasText: "Current password is incorrect" }).waitFor();
    await form.getByLabel("Current password").fill(person.password);
    await form.getByRole("button", { name: "Change email" }).click();
    await page.getByText(`Waiting for confirmation of ${newEmail}`).waitFor();
    await shotBoth(page, "profile-pending-email");

    // The old address is told; the new one gets the link.
    await until(() => smtp.mailsTo(person.email).length >= 2);
    const link = await linkFromMail(smtp, newEmail, /^Confirm your new email/);
    expect(link.startsWith(`${stack.webUrl}/confirm-email#token=`)).toBe(true);
    await page.goto(link);
    await page.getByRole("heading", { name: "Confirm your new email" }).waitFor();
    await shotBoth(page, "confirm-email");
    await page.getByRole("button", { name: "Confirm new email" }).click();
    await page.getByRole("status").filter({ hasText: "Your email has changed" }).waitFor();

    await page.getByRole("link", { name: "Go to your profile" }).click();
    await expectProfile(page);
    await page.getByText(`You sign in with ${newEmail}`).waitFor();
    await page.getByRole("button", { name: "Sign out", exact: true }).click();
    await signIn(page, person.email, person.password);
    await page.getByRole("alert").filter({ hasText: "Invalid email or password" }).waitFor();
    await signIn(page, newEmail, person.password);
    await expectProfile(page);
    await page.context().close();
  });
});
