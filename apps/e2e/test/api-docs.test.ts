import { mkdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startTestServer, type TestServer } from "@voiceassist/testing/server";

import { ACTION_TIMEOUT_MS, launchBrowser } from "../support/browser";

const SCREENSHOTS = join(dirname(fileURLToPath(import.meta.url)), "..", "screenshots");

describe("the API reference at /docs", () => {
  let api: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    [api, browser] = await Promise.all([startTestServer(), launchBrowser()]);
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
      if (url.protocol.startsWith("http") && url.origin !== origin) problems.push(`left the server: ${request.url()}`);
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
    it(`renders the operations at ${width} px, offline and within its CSP`, async () => {
      const { page, problems } = await openDocs(width);
      // The document's title and an operation's summary: the reference rendered from /openapi.json.
      await page.getByRole("heading", { name: "VoiceAssist API" }).first().waitFor();
      // The first operation (health.live): in the sidebar and the content on a desktop; on a phone the
      // sidebar hides behind its menu button, so the operation need only be in the page.
      const operation = page.getByText("Liveness", { exact: true }).first();
      await operation.waitFor({ state: width < 1000 ? "attached" : "visible" });
      await mkdir(SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: join(SCREENSHOTS, `api-docs-${label}-${width}.png`) });
      expect(problems).toEqual([]);
      await page.context().close();
    });
  }
});
