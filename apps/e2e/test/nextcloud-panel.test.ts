import { randomBytes } from "node:crypto";

import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { type FakeNextcloud, startFakeNextcloud } from "@voiceassist/testing/nextcloud";

import { createAdminAccount, registerUser } from "../support/accounts";
import { adminSignIn } from "../support/admin";
import { launchBrowser, screenshot } from "../support/browser";
import { startStack, type Stack } from "../support/stack";

const unique = (label: string) => `${label}-${randomBytes(4).toString("hex")}@example.com`;

/**
 * The admin panel's Nextcloud card when the configured admin password is wrong: the
 * operator is told provisioning is paused (circuit breaker open) and why, and VoiceAssist
 * stops logging in, so Nextcloud's brute-force protection never locks its address out.
 */
describe("admin panel: Nextcloud with rejected credentials", () => {
  let fake: FakeNextcloud;
  let stack: Stack;
  let browser: Browser;
  const operator = { email: unique("root"), password: "root-password-1" };

  beforeAll(async () => {
    fake = await startFakeNextcloud({ adminPassword: "the-real-password", bruteForceBaseDelayMs: 1 });
    [stack, browser] = await Promise.all([
      startStack({
        NEXTCLOUD_URL: fake.url,
        NEXTCLOUD_ADMIN_USER: "admin",
        NEXTCLOUD_ADMIN_PASSWORD: "a-wrong-password",
        NEXTCLOUD_RECHECK_MS: "600000",
      }),
      launchBrowser(),
    ]);
    await createAdminAccount(stack, operator);
    // Several users to provision: each would be another failed login without the breaker.
    for (const name of ["ana", "ben", "cem"]) await registerUser(stack, { email: unique(name), password: "staff-password-1" });
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
    await fake?.close();
  });

  async function openUsers(width: number): Promise<Page> {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${stack.adminUrl}/users`);
    await adminSignIn(page, operator.email, operator.password);
    await page.getByRole("heading", { name: "Users" }).waitFor();
    return page;
  }

  it("says provisioning is paused and why, at 1280 and 390 px", async () => {
    for (const width of [1280, 390]) {
      const page = await openUsers(width);
      const card = page.getByRole("region", { name: "Nextcloud" });
      await expect.poll(() => card.textContent(), { timeout: 15_000 }).toContain("Unavailable: credentials rejected.");
      expect(await card.textContent()).toContain("Provisioning is paused");
      // Nothing on the phone layout scrolls the page sideways.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBe(0);
      await screenshot(page, `admin-nextcloud-paused-${width}`);
      await page.context().close();
    }
  });

  it("the bulk retry answers from the server; VoiceAssist stopped logging in after the first refusal", async () => {
    const page = await openUsers(1280);
    const card = page.getByRole("region", { name: "Nextcloud" });
    await card.getByRole("button", { name: "Retry all failed provisioning" }).click();
    // The breaker keeps jobs pending rather than failing them, so there is nothing failed to requeue.
    await card.getByText("No failed provisioning to retry.").waitFor();
    // Three users queued and readiness polled, yet at most one re-check beyond the first refusal.
    expect(fake.bruteForceAttempts()).toBeLessThanOrEqual(2);
    await page.context().close();
  });
});
