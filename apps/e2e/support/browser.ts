import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import { chromium, type Browser, type Page } from "playwright-core";

import { testEnv } from "@voiceassist/testing/env";

/** Debian's Chromium (or CHROMIUM_PATH): tests never download a browser. */
const CHROMIUM = testEnv.chromiumPath;
const SCREENSHOTS = join(dirname(fileURLToPath(import.meta.url)), "..", "screenshots");

/** Longest wait for any one page action or element, so a broken page fails fast. */
export const ACTION_TIMEOUT_MS = 10_000;

export function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`No Chromium at ${CHROMIUM}: install Debian's (apt-get install -y chromium) or set CHROMIUM_PATH`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    timeout: 30_000,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--no-first-run",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** A page in a fresh context (own storage), with bounded waits and page errors surfaced. */
export async function openPage(browser: Browser, url: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(ACTION_TIMEOUT_MS);
  page.setDefaultNavigationTimeout(30_000);
  page.on("pageerror", (error) => console.error(`[page error] ${url}: ${error.message}`));
  await page.goto(url);
  return page;
}

/** Saves the page's current screen as screenshots/<name>.png (git-ignored) for a human to look at. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}
