import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { SCREENSHOTS_DIR } from './paths';

export { launchChromium } from './chromium';

/** How long one UI state may take to appear; the pages answer in milliseconds, the bound is for slow CI. */
export const UI_TIMEOUT_MS = 15_000;


/** A fresh browser profile (no cookies): one per person in the journey. */
export async function newVisitor(browser: Browser, baseUrl: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: baseUrl, viewport: { width: 1280, height: 860 }, locale: 'zh-CN' });
  context.setDefaultTimeout(UI_TIMEOUT_MS);
  const page = await context.newPage();
  return { context, page };
}

/** Full-page PNG in test-artifacts/screenshots/; returns its path. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOTS_DIR, { recursive: true });
  const path = join(SCREENSHOTS_DIR, `${name}.png`);
  // Fonts loaded, and the success toasts gone (they cover the page for 3 s), before the picture.
  await page.evaluate(() => document.fonts.ready);
  await page.waitForFunction(() => document.querySelector('.el-message') === null);
  await page.screenshot({ path, fullPage: true, animations: 'disabled' });
  return path;
}
