import { randomBytes } from "node:crypto";

import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createAdminAccount, registerUser } from "../support/accounts";
import { adminSignIn, openUser, saveUser } from "../support/admin";
import { launchBrowser, openPage, screenshot } from "../support/browser";
import { startStack, type Stack } from "../support/stack";
import { expectProfile, saveProfile, signIn, signUp } from "../support/web";

const unique = (label: string) => `${label}-${randomBytes(4).toString("hex")}@example.com`;

/** One API and both apps; the tests run in order and build on each other, like a day at work. */
describe("web app and admin panel in a real browser", () => {
  let stack: Stack;
  let browser: Browser;
  let web: Page;
  let admin: Page;
  const user = { email: unique("ada"), fullName: "Ada", password: "first-password-1", newPassword: "second-password-2" };
  const operator = { email: unique("admin"), password: "admin-password-1" };

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it("1. web: sign up → sign in → edit name → change password → sign out → sign in with the new password", async () => {
    web = await openPage(browser, stack.webUrl);
    await web.getByRole("heading", { name: "Sign in" }).waitFor();
    expect(await web.title()).toBe("Sign in · VoiceAssist");

    await signUp(web, user);
    expect(await web.getByLabel("Email").inputValue()).toBe(user.email);
    await signIn(web, user.email, user.password);
    await expectProfile(web);
    expect(await web.title()).toBe("Your profile · VoiceAssist");

    await saveProfile(web, { fullName: "Ada Lovelace" });
    await web.getByRole("status").filter({ hasText: "Profile saved." }).waitFor();
    await web.locator(".summary").getByText("Ada Lovelace").waitFor();

    const passwords = web.getByRole("form", { name: "Change password" });
    await passwords.getByLabel("Current password").fill(user.password);
    await passwords.getByLabel("New password", { exact: true }).fill(user.newPassword);
    await passwords.getByLabel("Confirm new password").fill(user.newPassword);
    await passwords.getByRole("button", { name: "Change password" }).click();
    await web.getByRole("status").filter({ hasText: "Password changed." }).waitFor();

    await web.getByRole("button", { name: "Sign out", exact: true }).click();
    await web.getByRole("status").filter({ hasText: "You have been signed out." }).waitFor();
    await signIn(web, user.email, user.password);
    await web.getByRole("alert").filter({ hasText: "Invalid email or password" }).waitFor();
    await signIn(web, user.email, user.newPassword);
    await expectProfile(web);
    await web.locator(".summary").getByText("Ada Lovelace").waitFor();
    await screenshot(web, "1-web-journey");
  });

  it("2. admin: search the user → deactivate → their open web session is sent to sign-in on its next action", async () => {
    await createAdminAccount(stack, operator);
    admin = await openPage(browser, stack.adminUrl);
    expect(await admin.title()).toMatch(/Admin/);
    await adminSignIn(admin, operator.email, operator.password);
    await admin.getByRole("heading", { name: "Users" }).waitFor();
    await admin.getByRole("status").filter({ hasText: "2 users found" }).waitFor();
    await admin.getByRole("navigation", { name: "Users pages" }).getByText("1–2 of 2").waitFor();
    await screenshot(admin, "admin-users-list");

    await openUser(admin, user.email);
    await admin.getByLabel("Active (can sign in)").uncheck();
    await saveUser(admin);
    await admin.getByRole("status").filter({ hasText: "Changes saved." }).waitFor();
    await admin.locator(".summary").getByText("Inactive").waitFor();
    await screenshot(admin, "2-admin-user-deactivated");

    // The web page still shows the profile; its next action meets a dead session.
    await saveProfile(web, { fullName: "Ada King" });
    await web.getByRole("heading", { name: "Sign in" }).waitFor();
    await web.getByRole("status").filter({ hasText: "Your session has ended" }).waitFor();
    await screenshot(web, "2-web-session-ended");
  });

  it("admin: the inactive filter finds the user, and the audit log filters by user and action", async () => {
    await admin.getByRole("link", { name: "Users", exact: true }).click();
    await admin.getByLabel("Status").selectOption("inactive");
    await admin.getByRole("button", { name: "Apply filters" }).click();
    await admin.getByRole("status").filter({ hasText: "1 user found" }).waitFor();
    await admin.getByRole("link", { name: user.email }).click();

    await admin.getByRole("link", { name: "View this user's audit events" }).click();
    await admin.getByRole("heading", { name: "Audit log" }).waitFor();
    await admin.getByLabel("Action").selectOption("admin.user.update");
    await admin.getByRole("button", { name: "Apply filters" }).click();
    await admin.getByRole("status").filter({ hasText: "1 event found" }).waitFor();
    await admin.getByRole("cell", { name: "Changed a user" }).waitFor();
    await screenshot(admin, "admin-audit-log");

    // A reversed date range comes back as a field error, not a blank page.
    await admin.getByLabel("From").fill("2026-12-31");
    await admin.getByLabel("To").fill("2026-01-01");
    await admin.getByRole("button", { name: "Apply filters" }).click();
    await admin.locator(".field-error").first().waitFor();
    expect(await admin.getByLabel("From").getAttribute("aria-invalid")).toBe("true");
    await screenshot(admin, "admin-audit-invalid-filter");
  });

  it("admin: guard errors from the server are shown (no self-demotion)", async () => {
    await openUser(admin, operator.email);
    await admin.getByLabel("Administrator").uncheck();
    await saveUser(admin);
    const alert = admin.getByRole("alert");
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/admin/i);
    await screenshot(admin, "admin-guard-error");
  });

  it("admin: soft delete asks for confirmation first", async () => {
    const doomed = await registerUser(stack, { email: unique("doomed"), password: "doomed-password-1" });
    await openUser(admin, doomed.email);
    await admin.getByRole("button", { name: "Delete user…" }).click();
    await admin.getByRole("button", { name: "Cancel" }).click();
    await admin.locator(".summary").getByText("Active", { exact: true }).waitFor();

    await admin.getByRole("button", { name: "Delete user…" }).click();
    await admin.getByRole("group").getByText(`Delete ${doomed.email}?`).waitFor();
    await admin.getByRole("button", { name: "Yes, delete user" }).click();
    await admin.getByRole("status").filter({ hasText: "User deleted" }).waitFor();
    await admin.locator(".summary").getByText("Deleted", { exact: true }).waitFor();
    await screenshot(admin, "admin-user-deleted");
  });

  it("3. a non-admin is refused by the admin panel", async () => {
    const plain = { email: unique("plain"), password: "plain-password-1" };
    await registerUser(stack, plain);
    const page = await openPage(browser, stack.adminUrl);
    await page.getByRole("heading", { name: "Admin sign-in" }).waitFor();
    // Keyboard only: focus starts at the heading, Tab reaches the fields, Enter submits.
    await page.keyboard.press("Tab");
    await page.keyboard.type(plain.email);
    await page.keyboard.press("Tab");
    await page.keyboard.type(plain.password);
    await page.keyboard.press("Enter");
    await page.getByRole("alert").filter({ hasText: "does not have admin access" }).waitFor();
    expect(await page.getByLabel("Email").inputValue()).toBe(plain.email);
    expect(await page.getByRole("heading", { name: "Admin sign-in" }).isVisible()).toBe(true);
    expect(await page.evaluate(() => localStorage.getItem("voiceassist.admin.tokens"))).toBeNull();
    await screenshot(page, "3-admin-refuses-non-admin");
  });
});
