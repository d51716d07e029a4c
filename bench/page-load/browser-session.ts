import type { Browser, BrowserContext, BrowserContextOptions, CDPSession, Page } from 'playwright-core';
import { NetworkLedger, type RequestRecord } from './network-ledger.js';
import { cdpNetworkConditions, type NetworkProfile } from './network-profile.js';

/** A quiet network this long means the page has fetched what it will (lazy chunks into the cache). */
const QUIET_MS = 500;
const QUIET_POLL_MS = 50;

/**
 * A fresh browser context (its own empty cache and cookies) with one page whose network is the
 * profile's, emulated by Chromium itself (CDP `Network.emulateNetworkConditions`).
 */
export interface ThrottledPage {
  context: BrowserContext;
  page: Page;
  cdp: CDPSession;
  close(): Promise<void>;
}

export async function openThrottledPage(browser: Browser, options: BrowserContextOptions, profile: NetworkProfile, timeoutMs: number): Promise<ThrottledPage> {
  const context = await browser.newContext(options);
  context.setDefaultTimeout(timeoutMs);
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', cdpNetworkConditions(profile));
    // A new context starts empty already; this says so to anyone reading the protocol log.
    await cdp.send('Network.clearBrowserCache');
    return { context, page, cdp, close: () => context.close() };
  } catch (error) {
    await context.close();
    throw error;
  }
}

/** Waits until no request but the long-lived streams has been open for QUIET_MS, within `timeoutMs`. */
export async function waitForQuietNetwork(ledger: NetworkLedger, isStream: (record: RequestRecord) => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let quietSince = Date.now();
  while (Date.now() < deadline) {
    if (ledger.inFlight(isStream).length > 0) quietSince = Date.now();
    else if (Date.now() - quietSince >= QUIET_MS) return;
    await new Promise((resolve) => setTimeout(resolve, QUIET_POLL_MS));
  }
  const open = ledger.inFlight(isStream).map((record) => record.url);
  throw new Error(`the network was still busy after ${timeoutMs / 1000} s: ${open.slice(0, 5).join(', ')}`);
}
