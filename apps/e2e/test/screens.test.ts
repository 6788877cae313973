import { randomBytes } from "node:crypto";

import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createAdminAccount, registerUser } from "../support/accounts";
import { adminSignIn } from "../support/admin";
import { ACTION_TIMEOUT_MS, launchBrowser, screenshot } from "../support/browser";
import { startStack, type Stack } from "../support/stack";
import { expectProfile, signIn } from "../support/web";

const unique = (label: string) => `${label}-${randomBytes(4).toString("hex")}@example.com`;
const VIEWPORTS = [
  { name: "1280", width: 1280, height: 900 },
  { name: "390", width: 390, height: 844 },
] as const;

/**
 * Every screen of both apps, opened by its address (browser history: a deep
 * link or a reload must land on the same screen), pictured at desktop and
 * phone widths into screenshots/screens-<width>-<screen>.png.
 */
describe("every screen, by address, at 1280 and 390 px", () => {
  let stack: Stack;
  let browser: Browser;
  const person = { email: unique("lin"), password: "lin-password-1", fullName: "Lin" };
  const operator = { email: unique("root"), password: "root-password-1" };
  let personId: string;

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack(), launchBrowser()]);
    personId = (await registerUser(stack, person)).id;
    await createAdminAccount(stack, operator);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  async function open(viewport: (typeof VIEWPORTS)[number]): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: viewport.width, height: viewport.height } });
    const page = await context.newPage();
    page.setDefaultTimeout(ACTION_TIMEOUT_MS);
    page.on("pageerror", (error) => console.error(`[page error] ${error.message}`));
    return page;
  }

  for (const viewport of VIEWPORTS) {
    const shot = (page: Page, name: string) => screenshot(page, `screens-${viewport.name}-${name}`);

    it(`web at ${viewport.name} px`, async () => {
      const page = await open(viewport);
      await page.goto(`${stack.webUrl}/sign-up`);
      await page.getByRole("heading", { name: "Create your account" }).waitFor();
      await shot(page, "web-sign-up");

      await page.goto(`${stack.webUrl}/profile`);
      await page.getByRole("heading", { name: "Sign in" }).waitFor();
      expect(new URL(page.url()).pathname).toBe("/sign-in");
      await shot(page, "web-sign-in");

      await signIn(page, person.email, person.password);
      await expectProfile(page);
      expect(new URL(page.url()).pathname).toBe("/profile");
      await page.reload();
      await expectProfile(page);
      await page.locator(".summary").getByText(person.email).waitFor();
      await shot(page, "web-profile");

      await page.goto(`${stack.webUrl}/security`);
      await page.getByRole("heading", { name: "Security", level: 1 }).waitFor();
      await page.getByRole("list", { name: "Your sessions" }).waitFor();
      await shot(page, "web-security");

      await page.goto(`${stack.webUrl}/no-such-page`);
      await page.getByRole("heading", { name: "Page not found" }).waitFor();
      await shot(page, "web-not-found");
      await page.context().close();
    });

    it(`admin at ${viewport.name} px`, async () => {
      const page = await open(viewport);
      await page.goto(`${stack.adminUrl}/users/${personId}`);
      await page.getByRole("heading", { name: "Admin sign-in" }).waitFor();
      expect(new URL(page.url()).pathname).toBe("/sign-in");
      await shot(page, "admin-sign-in");
      // Signing in leads back to the deep link that was opened while signed out.
      await adminSignIn(page, operator.email, operator.password);
      await page.getByRole("heading", { name: `User ${person.email}` }).waitFor();
      expect(new URL(page.url()).pathname).toBe(`/users/${personId}`);
      await shot(page, "admin-user");

      await page.goto(`${stack.adminUrl}/users`);
      await page.getByRole("heading", { name: "Users" }).waitFor();
      await page.getByRole("status").filter({ hasText: "users found" }).waitFor();
      await shot(page, "admin-users");

      await page.goto(`${stack.adminUrl}/audit?userId=${personId}`);
      await page.getByRole("heading", { name: "Audit log" }).waitFor();
      await page.getByText("Showing the events of one user.").waitFor();
      await page
        .getByRole("status")
        .filter({ hasText: /events? found/ })
        .waitFor();
      await shot(page, "admin-audit");

      // A malformed paging value is dropped, not an error.
      await page.goto(`${stack.adminUrl}/users?offset=-3&status=nonsense`);
      await page.getByRole("status").filter({ hasText: "users found" }).waitFor();
      expect(await page.getByLabel("Status").inputValue()).toBe("all");

      await page.goto(`${stack.adminUrl}/users/not-a-uuid`);
      await page.getByRole("heading", { name: "Page not found" }).waitFor();
      await shot(page, "admin-not-found");
      await page.context().close();
    });
  }
});
