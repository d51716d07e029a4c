import { access, constants } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { CHROMIUM_PATH, launchChromium } from '../../e2e/support/chromium.js';

export { CHROMIUM_PATH };

/** The browser, or null when there is no Chromium at CHROMIUM_PATH (the scenario is then skipped, not failed). */
export async function launchChromiumIfInstalled(): Promise<Browser | null> {
  const installed = await access(CHROMIUM_PATH, constants.X_OK).then(
    () => true,
    () => false,
  );
  if (!installed) return null;
  return launchChromium();
}
