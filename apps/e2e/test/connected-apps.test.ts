import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { signUpAdmin } from "@voiceassist/testing/users";

import { adminSignIn } from "../support/admin";
import { ACTION_TIMEOUT_MS, launchBrowser, screenshot } from "../support/browser";
import { startStack, type Stack } from "../support/stack";

/**
 * An admin connects an app in the panel, copies its secret off the page, and
 * the provider's token endpoint takes that secret: a bogus code with the right
 * client credentials is refused as invalid_grant (the client authenticated),
 * with a wrong secret as invalid_client. After a rotation the old secret is
 * invalid_client; after removal, every secret is. Each screen is saved at 1280
 * and 390 px (screenshots/connected-apps-<screen>-<width>.png).
 */
describe("connected apps", () => {
  let stack: Stack;
  let browser: Browser;
  let page: Page;

  /** The token endpoint's verdict on these client credentials, for a code that was never issued. */
  async function tokenError(clientId: string, clientSecret: string): Promise<string> {
    const basic = Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString("base64");
    const response = await fetch(`${stack.api.url}/oidc/token`, {
      method: "POST",
      headers: { authorization: `Basic ${basic}`, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "authorization_code", code: "not-a-code", redirect_uri: "https://cloud.example.org/cb" }),
    });
    const body = (await response.json()) as { error?: string };
    return body.error ?? `HTTP ${response.status}`;
  }

  /** Nothing wider than the window at either width, and a screenshot of each. */
  async function shoot(name: string) {
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      const widths = await page.evaluate(() => ({ doc: document.documentElement.scrollWidth, view: window.innerWidth }));
      expect(widths.doc, `${name} at ${width}px`).toBeLessThanOrEqual(widths.view);
      await screenshot(page, `connected-apps-${name}-${width}`);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  }

  const secretOnPage = async () => (await page.getByTestId("client-secret").textContent())?.trim() ?? "";

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack(), launchBrowser()]);
    const admin = await signUpAdmin(stack.api);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    page.setDefaultTimeout(ACTION_TIMEOUT_MS);
    page.setDefaultNavigationTimeout(30_000);
    page.on("pageerror", (error) => console.error(`[page error] ${error.message}`));
    await page.goto(stack.adminUrl);
    await adminSignIn(page, admin.email, admin.password);
    await page.getByRole("heading", { name: "Users" }).waitFor();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it("connects an app whose secret, read off the page, the token endpoint accepts; rotation and removal revoke it", async () => {
    await page.getByRole("link", { name: "Connected apps" }).click();
    await page.getByText("No app is connected yet.").waitFor();
    await shoot("empty");

    // The discovery URL on the page answers the provider's discovery document.
    const discoveryUrl = `${new URL(stack.api.trpcUrl).origin}/oidc/.well-known/openid-configuration`;
    await page.getByText(discoveryUrl).first().waitFor();
    const discovery = (await (await fetch(discoveryUrl)).json()) as { token_endpoint: string };
    expect(new URL(discovery.token_endpoint).pathname).toBe("/oidc/token");

    await page.getByRole("button", { name: "Connect an app…" }).click();
    const form = page.getByRole("form", { name: "Connect an app" });
    await form.getByLabel("Name", { exact: true }).fill("Nextcloud");
    await form.getByLabel("Redirect URIs", { exact: true }).fill("https://cloud.example.org/cb\nnot a url");
    await form.getByLabel("Back-channel logout URI (optional)").fill("https://cloud.example.org/apps/user_oidc/backchannel-logout/va");
    await form.getByRole("button", { name: "Connect app" }).click();
    await form.locator(".field-error", { hasText: "Must be an http:// or https:// URL" }).waitFor();
    await shoot("create-error");
    await form
      .getByLabel("Redirect URIs", { exact: true })
      .fill("https://cloud.example.org/cb\nhttps://cloud.example.org/apps/user_oidc/code");
    await shoot("create-form");
    await form.getByRole("button", { name: "Connect app" }).click();

    const panel = page.getByRole("region", { name: "Nextcloud is connected" });
    await panel.getByText("Store the secret now: it will not be shown again.").waitFor();
    const clientId = (await panel.locator(".credentials code").first().textContent())?.trim() ?? "";
    expect(clientId).toMatch(/^va-/);
    const firstSecret = await secretOnPage();
    await shoot("secret-once");

    expect(await tokenError(clientId, firstSecret)).toBe("invalid_grant");
    expect(await tokenError(clientId, `${firstSecret.slice(0, -1)}x`)).toBe("invalid_client");

    await panel.getByRole("button", { name: "I have stored the secret" }).click();
    await page.getByRole("link", { name: "Nextcloud", exact: true }).waitFor();
    expect(await page.getByText(firstSecret).count()).toBe(0);
    await shoot("list");

    await page.getByRole("link", { name: "Nextcloud", exact: true }).click();
    const edit = page.getByRole("form", { name: "Edit app" });
    await edit.getByLabel("Name", { exact: true }).fill("Nextcloud (clinic)");
    await edit.getByLabel("Post-logout redirect URIs (optional)").fill("https://cloud.example.org/");
    await edit.getByRole("button", { name: "Save changes" }).click();
    await page.getByRole("status").filter({ hasText: "Changes saved." }).waitFor();
    await page.getByRole("heading", { name: "Connected app Nextcloud (clinic)" }).waitFor();
    await shoot("edit");

    await page.getByRole("button", { name: "Rotate secret…" }).click();
    await page.getByText("The current secret stops working at once").waitFor();
    await shoot("rotate-confirm");
    await page.getByRole("button", { name: "Yes, rotate the secret" }).click();
    await page.getByRole("region", { name: "New secret for Nextcloud (clinic)" }).waitFor();
    const secondSecret = await secretOnPage();
    expect(secondSecret).not.toBe(firstSecret);
    await shoot("rotated");
    expect(await tokenError(clientId, firstSecret)).toBe("invalid_client");
    expect(await tokenError(clientId, secondSecret)).toBe("invalid_grant");
    await page.getByRole("button", { name: "I have stored the secret" }).click();

    await page.getByRole("button", { name: "Remove app…" }).click();
    await page.getByText("Remove Nextcloud (clinic)?").waitFor();
    await shoot("delete-confirm");
    await page.getByRole("button", { name: "Yes, remove Nextcloud (clinic)" }).click();
    await page.getByText("Nextcloud (clinic) was removed: it can no longer sign anyone in.").waitFor();
    await page.getByText("No app is connected yet.").waitFor();
    expect(await tokenError(clientId, secondSecret)).toBe("invalid_client");
  });
});
