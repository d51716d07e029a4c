import type { Browser } from 'playwright-core';
import { openThrottledPage, waitForQuietNetwork } from './browser-session.js';
import { NetworkLedger } from './network-ledger.js';
import type { NetworkProfile } from './network-profile.js';
import type { PageKind } from './page-kinds.js';
import { installUsableProbe, waitForUsable } from './usable-probe.js';
import { isEventStream, visitFigures, type VisitFigures } from './visit-figures.js';

/** Slow 4G and a megabyte of script take seconds; a page still not usable after this is broken. */
const VISIT_TIMEOUT_MS = 60_000;

/** The first visit (empty cache, new connection), then the warm one: a reload in the same browser. */
export interface FirstAndWarm {
  first: VisitFigures;
  warm: VisitFigures;
}

/** One load of the current page, counted from `start` (a goto or a reload) to the usable moment. */
async function measureLoad(
  cdpLedger: () => NetworkLedger,
  start: () => Promise<unknown>,
  waitUsable: () => ReturnType<typeof waitForUsable>,
  options: { profile: NetworkProfile; firstVisit: boolean },
) {
  const ledger = cdpLedger();
  try {
    await start();
    const usable = await waitUsable();
    return { ledger, figures: visitFigures(ledger.requests, usable, options) };
  } catch (error) {
    ledger.detach();
    throw error;
  }
}

export async function visitFirstAndWarm(browser: Browser, kind: PageKind, url: string, profile: NetworkProfile): Promise<FirstAndWarm> {
  const session = await openThrottledPage(browser, kind.context, profile, VISIT_TIMEOUT_MS);
  try {
    const { page, cdp, context } = session;
    await installUsableProbe(context, kind.usableSign);
    const newLedger = () => new NetworkLedger(cdp);
    const usable = () => waitForUsable(page, VISIT_TIMEOUT_MS);

    const first = await measureLoad(newLedger, () => page.goto(url, { waitUntil: 'commit' }), usable, { profile, firstVisit: true });
    // Whatever the page still fetches after it is usable (lazy chunks) lands in the cache before the reload.
    await waitForQuietNetwork(first.ledger, isEventStream, VISIT_TIMEOUT_MS);
    first.ledger.detach();

    const warm = await measureLoad(newLedger, () => page.reload({ waitUntil: 'commit' }), usable, { profile, firstVisit: false });
    warm.ledger.detach();
    return { first: first.figures, warm: warm.figures };
  } finally {
    await session.close();
  }
}
