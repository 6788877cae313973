import { mkdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { send } from "@voiceassist/testing/raw-http";
import { startTestServer, type TestServer } from "@voiceassist/testing/server";

import { ACTION_TIMEOUT_MS, launchBrowser } from "../support/browser";

const SCREENSHOTS = join(dirname(fileURLToPath(import.meta.url)), "..", "screenshots");

interface Operation {
  method: string;
  path: string;
  summary: string;
}

describe("the API reference at /docs", () => {
  let api: TestServer;
  let browser: Browser;
  /** Every operation in /openapi.json: what the page must show. */
  let operations: Operation[];

  beforeAll(async () => {
    [api, browser] = await Promise.all([startTestServer(), launchBrowser()]);
    const document = (await send(`${api.url}/openapi.json`)).body as { paths: Record<string, Record<string, { summary: string }>> };
    operations = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, operation]) => ({ method, path, summary: operation.summary })),
    );
  });
  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  /** /docs at `width`, failing on any request that leaves this server and on any CSP refusal. */
  async function openDocs(width: number): Promise<{ page: Page; problems: string[] }> {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(ACTION_TIMEOUT_MS);
    const problems: string[] = [];
    const origin = new URL(api.url).origin;
    page.on("request", (request) => {
      const url = new URL(request.url());
      if (url.protocol !== "data:" && url.origin !== origin) problems.push(`left the server: ${request.url()}`);
    });
    // The browser reports each refusal both on the console and as an event; the init script
    // runs outside the page's CSP and turns the event into a console line too.
    await page.addInitScript(() => {
      document.addEventListener("securitypolicyviolation", (event) =>
        console.error(`Content Security Policy violation: ${event.violatedDirective} ${event.blockedURI}`),
      );
    });
    page.on("console", (message) => {
      if (/Content Security Policy/i.test(message.text())) problems.push(`CSP: ${message.text()}`);
    });
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    await page.goto(`${api.url}/docs`);
    return { page, problems };
  }

  for (const [label, width] of [
    ["desktop", 1280],
    ["mobile", 390],
  ] as const) {
    it(`renders every operation of /openapi.json at ${width} px, offline and within its CSP`, async () => {
      const { page, problems } = await openDocs(width);
      expect(page.url()).toBe(`${api.url}/docs/`);
      expect(await page.title()).toBe("VoiceAssist API reference");
      await page.getByRole("heading", { name: "VoiceAssist API" }).first().waitFor();
      expect(operations.length).toBeGreaterThan(10);
      // One block per operation, each with its method, path and summary.
      const blocks = page.locator(".opblock");
      await expect.poll(() => blocks.count()).toBe(operations.length);
      for (const { method, path, summary } of operations) {
        const block = blocks.filter({ has: page.locator(`[data-path="${path}"]`) }).filter({ hasText: summary });
        await block.locator(".opblock-summary-method", { hasText: method.toUpperCase() }).first().waitFor({ state: "attached" });
      }
      await page.getByText("Liveness", { exact: true }).first().waitFor();
      // Nothing on the page is wider than the screen.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      await mkdir(SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: join(SCREENSHOTS, `api-docs-${label}-${width}.png`) });
      expect(problems).toEqual([]);
      await page.context().close();
    });
  }

  it("calls an operation from the page against this server (Try it out → Execute)", async () => {
    const { page, problems } = await openDocs(1280);
    const live = page.locator("#operations-health-health-live");
    await live.locator(".opblock-summary-control").click();
    await live.getByRole("button", { name: "Try it out" }).click();
    const answered = page.waitForResponse((response) => response.url() === `${api.url}/api/health/live`);
    await live.getByRole("button", { name: "Execute" }).click();
    const response = await answered;
    expect(response.status()).toBe(200);
    const served = await response.json();
    expect(served).toMatchObject({ status: "healthy" });
    // The live response as the page shows it: exactly the body this server sent.
    const responseBody = live.locator(".live-responses-table .response-col_description pre").first();
    await expect.poll(async () => JSON.parse((await responseBody.textContent()) ?? "null")).toEqual(served);
    await expect.poll(() => live.locator(".live-responses-table tbody .response-col_status").first().textContent()).toBe("200");
    // The bearer scheme's dialog opens and closes on the page.
    await page.getByRole("button", { name: "Authorize" }).first().click();
    const dialog = page.locator(".modal-ux");
    await dialog.getByText("bearerAuth").first().waitFor();
    await dialog.getByRole("button", { name: "Close" }).first().click();
    await dialog.waitFor({ state: "detached" });
    await responseBody.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOTS, "api-docs-try-it-out-1280.png") });
    expect(problems).toEqual([]);
    await page.context().close();
  });
});
