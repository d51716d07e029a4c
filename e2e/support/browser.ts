import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { SCREENSHOTS_DIR } from './paths';

/** Debian's Chromium, never a downloaded browser (see DEVELOPERS.md). */
const CHROMIUM_PATH = process.env.E2E_CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** How long one UI state may take to appear; the pages answer in milliseconds, the bound is for slow CI. */
export const UI_TIMEOUT_MS = 15_000;

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}

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
