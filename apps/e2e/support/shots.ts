import type { Page } from "playwright-core";

import { screenshot } from "./browser";

const WIDTHS = [1280, 390] as const;

/** The page as it is now, at desktop and phone widths (screenshots/<name>-<width>.png); the viewport is put back. */
export async function screenshotWidths(page: Page, name: string): Promise<void> {
  const before = page.viewportSize();
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 900 });
    await screenshot(page, `${name}-${width}`);
  }
  if (before) await page.setViewportSize(before);
}
