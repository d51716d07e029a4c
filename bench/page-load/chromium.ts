import { access, constants } from 'node:fs/promises';
import { type Browser, chromium } from 'playwright-core';

/**
 * Debian's Chromium through playwright-core, launched as the browser tests launch it (e2e/support/browser.ts):
 * never a downloaded browser. E2E_CHROMIUM_PATH points both at another binary.
 */
export const CHROMIUM_PATH = process.env.E2E_CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** The browser, or null when there is no Chromium at CHROMIUM_PATH (the scenario is then skipped, not failed). */
export async function launchChromiumIfInstalled(): Promise<Browser | null> {
  const installed = await access(CHROMIUM_PATH, constants.X_OK).then(
    () => true,
    () => false,
  );
  if (!installed) return null;
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}
