import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";

import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createAdminAccount, registerUser } from "../support/accounts";
import { adminSignIn, openUser } from "../support/admin";
import { ACTION_TIMEOUT_MS, launchBrowser, screenshot } from "../support/browser";
import { startStack, type Stack } from "../support/stack";
import { expectProfile, signIn } from "../support/web";

const unique = (label: string) => `${label}-${randomBytes(4).toString("hex")}@example.com`;

/** Nothing on the page is wider than the window: the page never scrolls sideways. */
async function expectNoSidewaysScroll(page: Page) {
  const widths = await page.evaluate(() => ({
    document: document.documentElement.scrollWidth,
    body: document.body.scrollWidth,
    viewport: window.innerWidth,
  }));
  expect(widths.document, `document ${widths.document}px in a ${widths.viewport}px window`).toBeLessThanOrEqual(widths.viewport);
  expect(widths.body).toBeLessThanOrEqual(widths.viewport);
}

/** Sign out is on screen, not cut off at the right edge. */
async function expectSignOutVisible(page: Page) {
  const box = await page.getByRole("button", { name: "Sign out", exact: true }).boundingBox();
  const width = page.viewportSize()?.width ?? 0;
  expect(box).not.toBeNull();
  expect((box?.x ?? -1) >= 0 && (box?.x ?? 0) + (box?.width ?? 0) <= width).toBe(true);
}

/**
 * The admin console a clinic runs: the audit log read by people (names,
 * words, filters, CSV), delete/restore/erase, sessions, and every changed
 * screen at 1280 and 390 px (screenshots/console-<width>-<screen>.png).
 */
describe("admin console", () => {
  let stack: Stack;
  let browser: Browser;
  let admin: Page;
  const operator = { email: unique("root"), password: "root-password-1" };
  const nurse = { email: unique("nurse"), password: "nurse-password-1", fullName: "Nora Nurse" };
  const leaver = { email: unique("leaver"), password: "leaver-password-1", fullName: "Lee Leaver" };
  let nurseId: string;

  async function open(width: number, height = 900): Promise<Page> {
    const context = await browser.newContext({ viewport: { width, height }, acceptDownloads: true });
    const page = await context.newPage();
    page.setDefaultTimeout(ACTION_TIMEOUT_MS);
    page.setDefaultNavigationTimeout(30_000);
    page.on("pageerror", (error) => console.error(`[page error] ${error.message}`));
    return page;
  }

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack(), launchBrowser()]);
    await createAdminAccount(stack, operator);
    nurseId = (await registerUser(stack, nurse)).id;
    await registerUser(stack, leaver);
    admin = await open(1280);
    await admin.goto(stack.adminUrl);
    await adminSignIn(admin, operator.email, operator.password);
    await admin.getByRole("heading", { name: "Users" }).waitFor();
    // Two Vite servers, an API and Chromium on a shared 2-core machine: give start-up room.
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it("sessions: the admin sees where a user is signed in and signs them out everywhere", async () => {
    const web = await open(1280);
    await web.goto(`${stack.webUrl}/sign-in`);
    await signIn(web, nurse.email, nurse.password);
    await expectProfile(web);

    await openUser(admin, nurse.email);
    const sessions = admin.getByRole("region", { name: "Sessions" });
    await sessions.getByRole("cell", { name: /Chrome on Linux/ }).waitFor();
    expect(await sessions.getByRole("row").count()).toBe(2); // header + one session
    await screenshot(admin, "console-1280-user-sessions");

    await sessions.getByRole("button", { name: "Sign out everywhere" }).click();
    await admin.getByRole("status").filter({ hasText: "Signed out everywhere: 1 session ended." }).waitFor();
    await sessions.getByText("Not signed in anywhere.").waitFor();

    // The nurse's open page meets a dead session on its next action.
    await web.reload();
    await web.getByRole("heading", { name: "Sign in" }).waitFor();
    await web.context().close();
  });

  it("a save that changes nothing says so, and the next action clears it", async () => {
    await admin.getByRole("button", { name: "Save changes" }).click();
    await admin.getByRole("status").filter({ hasText: "No changes to save." }).waitFor();
    await admin.getByLabel("Full name").fill("Nora N. Nurse");
    await admin.getByRole("button", { name: "Save changes" }).click();
    await admin.getByRole("status").filter({ hasText: "Changes saved." }).waitFor();
    expect(await admin.getByText("No changes to save.").count()).toBe(0);
  });

  it("delete, restore and erase are told apart", async () => {
    await openUser(admin, leaver.email);
    await admin.getByRole("button", { name: "Delete user…" }).click();
    await admin.getByRole("button", { name: "Yes, delete user" }).click();
    await admin.getByRole("status").filter({ hasText: "User deleted" }).waitFor();
    await admin.locator(".summary").getByText("Deleted", { exact: true }).waitFor();
    expect(await admin.getByLabel("Active (can sign in)").isDisabled()).toBe(true);
    await screenshot(admin, "console-1280-user-deleted");

    // The list shows Deleted distinctly, and its filter finds them.
    await admin.getByRole("link", { name: "Users", exact: true }).click();
    await admin.getByLabel("Status").selectOption("deleted");
    await admin.getByRole("button", { name: "Apply filters" }).click();
    await admin.getByRole("status").filter({ hasText: "1 user found" }).waitFor();
    await admin.getByRole("cell", { name: "Deleted" }).waitFor();
    await admin.getByRole("link", { name: leaver.email }).click();

    await admin.getByRole("button", { name: "Restore user" }).click();
    await admin.getByRole("status").filter({ hasText: "User restored" }).waitFor();
    await admin.locator(".summary").getByText("Active", { exact: true }).waitFor();

    await admin.getByRole("button", { name: "Delete user…" }).click();
    await admin.getByRole("button", { name: "Yes, delete user" }).click();
    const erase = admin.getByRole("form", { name: "Erase personal data" });
    await erase.waitFor();
    const button = erase.getByRole("button", { name: "Erase personal data" });
    expect(await button.isDisabled()).toBe(true);
    await erase.getByLabel(`Type ${leaver.email} to confirm`).fill(leaver.email);
    await screenshot(admin, "console-1280-user-erase-confirm");
    await button.click();
    await admin.getByRole("status").filter({ hasText: "Personal data erased" }).waitFor();
    await admin.getByRole("heading", { name: "User (erased)" }).waitFor();
    await screenshot(admin, "console-1280-user-erased");
  });

  it("audit: names and words, labelled details with the request id, filters, and a CSV of the filtered events", async () => {
    await admin.getByRole("link", { name: "Audit log" }).click();
    await admin.getByRole("heading", { name: "Audit log" }).waitFor();
    await admin.getByLabel("User (email or name)").fill(nurse.email);
    await admin.getByRole("button", { name: "Apply filters" }).click();
    const table = admin.getByRole("table");
    const change = table.getByRole("row").filter({ hasText: "Changed a user" });
    await change.waitFor();
    // Actor and target by name and email, linked to their pages.
    await change.getByRole("link", { name: /Nora N\. Nurse/ }).waitFor();
    expect(await change.getByRole("link", { name: /Nora N\. Nurse/ }).getAttribute("href")).toBe(`/users/${nurseId}`);
    await change.getByRole("link", { name: new RegExp(operator.email) }).waitFor();
    await table.getByRole("cell", { name: "Signed in", exact: true }).first().waitFor();
    await table.getByRole("cell", { name: "Signed a user out everywhere" }).waitFor();
    expect(await table.getByRole("cell", { name: "admin.user.update", exact: true }).count()).toBe(0);
    await change.getByText("Details").click();
    await change.getByText("Changed: Name").waitFor();
    await change.getByText("Request ID").waitFor();
    await screenshot(admin, "console-1280-audit");

    // The erased user's events keep only the id: no name or email of theirs anywhere.
    await admin.getByLabel("User (email or name)").fill("");
    await admin.getByLabel("Action").selectOption("admin.user.erase");
    await admin.getByRole("button", { name: "Apply filters" }).click();
    await admin.getByRole("status").filter({ hasText: "1 event found" }).waitFor();
    await table.getByText("Erased user").waitFor();
    expect(await admin.locator("main").textContent()).not.toContain(leaver.email);

    // Outcome and dates.
    const today = new Date().toISOString().slice(0, 10);
    await admin.getByLabel("Action").selectOption("");
    await admin.getByLabel("Outcome").selectOption("success");
    await admin.getByLabel("From").fill(today);
    await admin.getByLabel("To").fill(today);
    await admin.getByLabel("User (email or name)").fill(nurse.email);
    await admin.getByRole("button", { name: "Apply filters" }).click();
    await admin.waitForURL(/outcome=success/);
    await change.waitFor();
    const shown = await table.getByRole("row").count();
    await admin.getByLabel("From").fill("2000-01-01");
    await admin.getByLabel("To").fill("2000-01-02");
    await admin.getByRole("button", { name: "Apply filters" }).click();
    await admin.waitForURL(/from=2000-01-01/);
    await admin.getByText("No events match these filters.").waitFor();
    expect(await admin.getByRole("navigation", { name: "Audit events pages" }).count()).toBe(0);

    await admin.getByLabel("From").fill(today);
    await admin.getByLabel("To").fill(today);
    await admin.getByRole("button", { name: "Apply filters" }).click();
    await admin.waitForURL(new RegExp(`from=${today}`));
    await change.waitFor();
    const [download] = await Promise.all([admin.waitForEvent("download"), admin.getByRole("button", { name: "Download CSV" }).click()]);
    expect(download.suggestedFilename()).toMatch(/^audit-\d{8}-\d{6}\.csv$/);
    const csv = await readFile((await download.path()) ?? "", "utf8");
    const lines = csv.trim().split("\r\n");
    expect(lines[0]).toMatch(/^"at","action","outcome","actor_email"/);
    expect(lines).toHaveLength(shown); // the header plus one line per event on screen
    expect(lines.slice(1).every((line) => line.includes(nurse.email))).toBe(true);
    expect(lines.slice(1).every((line) => line.includes('"success"'))).toBe(true);
    await admin
      .getByRole("status")
      .filter({ hasText: `Downloaded ${shown - 1} events.` })
      .waitFor();
  });

  it("at 390 px nothing scrolls sideways and Sign out stays on screen; tables become stacked rows", async () => {
    // The nurse signs in again, from a phone, so the user page has a session to show.
    const phone =
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";
    await stack.api
      .client({ headers: () => ({ "user-agent": phone, "x-forwarded-for": "203.0.113.7" }) })
      .auth.login.mutate({ email: nurse.email, password: nurse.password });
    for (const width of [1280, 390]) {
      const page = await open(width, 844);
      const shot = (name: string) => screenshot(page, `console-${width}-${name}`);
      await page.goto(`${stack.adminUrl}/users`);
      await adminSignIn(page, operator.email, operator.password);
      await page.getByRole("status").filter({ hasText: "users found" }).waitFor();
      await expectNoSidewaysScroll(page);
      await expectSignOutVisible(page);
      const row = page.getByRole("row").filter({ hasText: nurse.email });
      if (width === 390) expect(await row.evaluate((el) => getComputedStyle(el).display)).toBe("block");
      await shot("users");

      await page.goto(`${stack.adminUrl}/users?status=invited`);
      await page.getByText("No users match these filters.").waitFor();
      await expectNoSidewaysScroll(page);
      await shot("users-empty");

      await page.goto(`${stack.adminUrl}/users/${nurseId}`);
      await page.getByRole("heading", { name: `User ${nurse.email}` }).waitFor();
      await page.getByRole("region", { name: "Sessions" }).getByText("Safari on iOS").waitFor();
      await expectNoSidewaysScroll(page);
      await expectSignOutVisible(page);
      await shot("user");

      await page.goto(`${stack.adminUrl}/users?status=deleted`);
      await page.getByRole("link", { name: /@erased\.invalid/ }).click();
      await page.getByRole("heading", { name: "User (erased)" }).waitFor();
      await expectNoSidewaysScroll(page);
      await shot("user-erased");

      await page.goto(`${stack.adminUrl}/audit`);
      await page.locator("details summary").first().click();
      await page.locator("details[open]").getByText("Request ID").waitFor();
      await expectNoSidewaysScroll(page);
      await expectSignOutVisible(page);
      await shot("audit");
      await page.context().close();
    }
  }, 180_000);

  it("sign-in: a rate limit counts down and keeps the button disabled until a retry is allowed", async () => {
    const page = await open(390, 844);
    await page.goto(`${stack.adminUrl}/sign-in`);
    const button = page.getByRole("button", { name: "Sign in", exact: true });
    const countdown = page.getByRole("alert").filter({ hasText: /Try again in \d+ seconds?\./ });
    for (let attempt = 0; attempt < 12 && (await countdown.count()) === 0; attempt++) {
      await page.getByLabel("Email").fill(operator.email);
      await page.getByLabel("Password").fill(`wrong-password-${attempt}`);
      await button.click();
      await page.getByRole("alert").waitFor();
      await page.waitForFunction(() => !document.querySelector('button[type="submit"]')?.textContent?.includes("Signing in"));
    }
    await countdown.waitFor();
    expect(await button.isDisabled()).toBe(true);
    const first = Number(/in (\d+) second/.exec((await countdown.textContent()) ?? "")?.[1]);
    expect(first).toBeGreaterThan(0);
    await expectNoSidewaysScroll(page);
    await screenshot(page, "console-390-sign-in-rate-limited");
    // It counts down while the page waits.
    await page.waitForFunction(
      (start) => {
        const text = document.querySelector('[role="alert"]')?.textContent ?? "";
        const left = Number(/in (\d+) second/.exec(text)?.[1] ?? Number.NaN);
        return left < start || text.includes("You can try again now.");
      },
      first,
      { timeout: 5_000 },
    );
    // Typing fixes the field, not the wait: the button stays disabled while the countdown runs.
    await page.getByLabel("Password").fill(operator.password);
    const waiting = /Try again in/.test((await page.getByRole("alert").textContent()) ?? "");
    expect(await button.isDisabled()).toBe(waiting);
    // Once the wait is over, the button is back and says so.
    await page.getByRole("alert").filter({ hasText: "You can try again now." }).waitFor({ timeout: 70_000 });
    expect(await button.isDisabled()).toBe(false);
    await page.context().close();
  }, 120_000);
});
