import { type Browser, chromium } from 'playwright-core';

/**
 * Debian's Chromium through playwright-core, never a downloaded browser (see DEVELOPERS.md); the
 * browser tests and the benchmark's page loads launch it alike. E2E_CHROMIUM_PATH points both at
 * another binary.
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

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}
