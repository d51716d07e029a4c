import type { Browser } from 'playwright-core';
import { WECHAT_IDENTITY_COOKIE } from '../../server/src/simulator/wechat-identity-cookie.js';
import { openThrottledPage, waitForQuietNetwork } from './browser-session.js';
import { NetworkLedger, wentOverNetwork, type RequestRecord } from './network-ledger.js';
import { floorMs, type NetworkProfile, type RoundTrips } from './network-profile.js';
import { PHONE_WECHAT_CONTEXT } from './page-kinds.js';

const VISIT_TIMEOUT_MS = 30_000;
/** The question page's confirm form (server/src/routes/confirmation-page.ts). */
const CONFIRM_FORM_SELECTOR = 'form input[name="decision"][value="confirm"]';

/** The confirmation link opened inside WeChat by the person who scanned. */
export interface ConfirmationFigures {
  /** The page itself, after the redirects: its document. */
  page: { bytes: number; ms: number; floorMs: number; roundTrips: RoundTrips };
  /** From the tap on the link to the page: every hop. */
  chain: { bytes: number; ms: number; floorMs: number; roundTrips: RoundTrips; redirects: Array<{ host: string; status: number }> };
  /** Requests the page itself made (styles, scripts, images…): none expected. */
  subresources: string[];
  /** Chromium asks for /favicon.ico for any page without an icon link; WeChat's in-app browser shows no tab icon. */
  faviconBytes: number | null;
  asksTheQuestion: boolean;
}

const NO_TRIPS: RoundTrips = { connections: 0, documentHops: 0, subresources: 0, apiCalls: 0, qrImage: 0 };

function isFavicon(record: RequestRecord): boolean {
  return record.resourceType !== 'Document' && new URL(record.url).pathname === '/favicon.ico';
}

/** The figures of one document request that followed redirects (see ConfirmationFigures). */
export function confirmationFigures(document: RequestRecord, others: readonly RequestRecord[], profile: NetworkProfile): Omit<ConfirmationFigures, 'asksTheQuestion'> {
  if (!document.finished || !document.response) throw new Error(`the confirmation page did not load: ${document.failed?.errorText ?? 'no answer'}`);
  const pageBytes = document.finished.bytes;
  const redirectBytes = document.redirects.reduce((sum, hop) => sum + hop.bytes, 0);
  // Each hop that opened a connection paid a round trip for it first; the first one always does (a phone that
  // just tapped the link has none open, though Chromium may reuse one an earlier browser context left).
  const hopsOpening = [true, ...document.redirects.slice(1).map((hop) => !hop.connectionReused), document.redirects.length > 0 && !document.response.connectionReused].filter(Boolean).length;
  const pageOpensConnection = document.redirects.length === 0 || !document.response.connectionReused;
  const pageTrips: RoundTrips = { ...NO_TRIPS, documentHops: 1, connections: pageOpensConnection ? 1 : 0 };
  const chainTrips: RoundTrips = { ...NO_TRIPS, documentHops: document.redirects.length + 1, connections: hopsOpening };
  const favicon = others.find(isFavicon);
  return {
    page: { bytes: pageBytes, ms: document.finished.atMs - document.finalRequestAtMs, floorMs: floorMs(profile, pageTrips, pageBytes), roundTrips: pageTrips },
    chain: {
      bytes: pageBytes + redirectBytes,
      ms: document.finished.atMs - document.startedAtMs,
      floorMs: floorMs(profile, chainTrips, pageBytes + redirectBytes),
      roundTrips: chainTrips,
      redirects: document.redirects.map((hop) => ({ host: new URL(hop.url).host, status: hop.status })),
    },
    subresources: others.filter((record) => !isFavicon(record) && wentOverNetwork(record)).map((record) => `${record.resourceType} ${record.url}`),
    faviconBytes: favicon?.finished?.bytes ?? null,
  };
}

/**
 * Opens `link` in WeChat's in-app browser (on a phone, over the profile's network) as `openid`, the
 * WeChat user the simulator knows as signed in: the opener check's silent authorization recognises them.
 */
export async function visitConfirmationLink(browser: Browser, link: string, openid: string, simulatorUrl: string, profile: NetworkProfile): Promise<ConfirmationFigures> {
  const session = await openThrottledPage(browser, PHONE_WECHAT_CONTEXT, profile, VISIT_TIMEOUT_MS);
  const ledger = new NetworkLedger(session.cdp);
  try {
    await session.context.addCookies([{ name: WECHAT_IDENTITY_COOKIE, value: openid, url: simulatorUrl, httpOnly: true, sameSite: 'Lax' }]);
    await session.page.goto(link, { waitUntil: 'load' });
    await waitForQuietNetwork(ledger, () => false, VISIT_TIMEOUT_MS);
    const requests = ledger.requests;
    const document = requests.find((record) => record.resourceType === 'Document');
    if (!document) throw new Error('no document request for the confirmation link');
    const asksTheQuestion = (await session.page.locator(CONFIRM_FORM_SELECTOR).count()) > 0;
    return { ...confirmationFigures(document, requests.filter((record) => record !== document), profile), asksTheQuestion };
  } finally {
    ledger.detach();
    await session.close();
  }
}
