import { randomBytes } from "node:crypto";

import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { registerUser } from "../support/accounts";
import { launchBrowser, openPage, screenshot } from "../support/browser";
import { startStack, type Stack } from "../support/stack";
import { expectProfile, saveProfile, signIn } from "../support/web";

/** Access tokens live 1 s; the server accepts them for 5 s more (clock skew), so 7 s makes one surely dead. */
const ACCESS_TOKEN_MINUTES = "0.02";
const UNTIL_SURELY_EXPIRED_MS = 7_000;

describe("web app sessions with 1-second access tokens", () => {
  let stack: Stack;
  let browser: Browser;
  const account = { email: `grace-${randomBytes(4).toString("hex")}@example.com`, password: "grace-password-1" };

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack({ ACCESS_TOKEN_EXPIRE_MINUTES: ACCESS_TOKEN_MINUTES }), launchBrowser()]);
    await registerUser(stack, { ...account, fullName: "Grace" });
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it("4. an expired access token is refreshed silently", async () => {
    const web = await openPage(browser, stack.webUrl);
    await signIn(web, account.email, account.password);
    await expectProfile(web);
    const refreshes = countCalls(web, "auth.refresh");

    await web.waitForTimeout(UNTIL_SURELY_EXPIRED_MS);
    await saveProfile(web, { fullName: "Grace Hopper" });
    await web.getByRole("status").filter({ hasText: "Profile saved." }).waitFor();
    await web.locator(".summary").getByText("Grace Hopper").waitFor();
    expect(refreshes()).toBe(1);
    expect(await web.getByRole("heading", { name: "Sign in" }).count()).toBe(0);

    // The rotated pair was kept: a reload is still signed in.
    await web.reload();
    await expectProfile(web);
    await web.locator(".summary").getByText("Grace Hopper").waitFor();
    await screenshot(web, "4-web-silent-refresh");
  });

  it("the sign-in form says when to try again once the login limit is hit (429)", async () => {
    const web = await openPage(browser, stack.webUrl);
    const alert = web.getByRole("alert");
    // 10 logins a minute per address; the test above spent one. Stop at the first refusal.
    for (let attempt = 0; attempt < 12; attempt++) {
      const answered = web.waitForResponse((response) => response.url().includes("auth.login") && response.request().method() === "POST");
      await signIn(web, account.email, "wrong-password-0");
      await answered;
      await alert.waitFor();
      if ((await alert.textContent())?.includes("Too many attempts")) break;
    }
    expect(await alert.textContent()).toMatch(/^Too many attempts\. Try again in \d+ seconds?\.$/);
    await screenshot(web, "web-rate-limited");
  });
});

/** Counts the page's POSTs to one procedure from now on (batched calls count once per request). */
function countCalls(page: Page, procedure: string) {
  let count = 0;
  page.on("request", (request) => {
    if (request.method() === "POST" && new URL(request.url()).pathname.split("/").pop()?.split(",").includes(procedure)) count++;
  });
  return () => count;
}
