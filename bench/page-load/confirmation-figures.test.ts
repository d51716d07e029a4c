import { describe, expect, it } from 'vitest';
import { confirmationFigures } from './confirmation-visit.js';
import type { RequestRecord } from './network-ledger.js';
import { SLOW_4G } from './network-profile.js';

const SERVER = 'http://127.0.0.1:4000';
const WECHAT = 'http://127.0.0.1:5000';

/** The link, WeChat's silent authorization, the server's callback, then the question page. */
function openerChain(): RequestRecord {
  return {
    requestId: 'doc',
    url: `${SERVER}/api/v1/pub/mp/confirm/s1?t=x&lang=zh-CN`,
    resourceType: 'Document',
    startedAtMs: 1000,
    finalRequestAtMs: 1600,
    redirects: [
      { url: `${SERVER}/api/v1/pub/mp/confirm/s1?t=x`, status: 302, bytes: 900, atMs: 1150, connectionReused: true },
      { url: `${WECHAT}/connect/oauth2/authorize`, status: 302, bytes: 500, atMs: 1300, connectionReused: false },
      { url: `${SERVER}/api/v1/pub/mp/confirm/s1?code=c&state=s`, status: 302, bytes: 600, atMs: 1600, connectionReused: true },
    ],
    servedFromCache: false,
    response: { status: 200, atMs: 1750, headerBytes: 400, fromDiskCache: false, connectionReused: true, contentEncoding: null },
    chunks: [],
    finished: { atMs: 1760, bytes: 2000 },
  };
}

describe('confirmationFigures', () => {
  it('reports the page after the redirects apart from the whole way, each with its floor', () => {
    const figures = confirmationFigures(openerChain(), [], SLOW_4G);
    expect(figures.page).toMatchObject({ bytes: 2000, ms: 160 });
    // One round trip over the connection already open, and 2,000 bytes at 200,000 bytes/s.
    expect(figures.page.floorMs).toBeCloseTo(150 + 10, 5);
    expect(figures.chain).toMatchObject({ bytes: 4000, ms: 760 });
    expect(figures.chain.redirects.map((hop) => hop.host)).toEqual(['127.0.0.1:4000', '127.0.0.1:5000', '127.0.0.1:4000']);
    // Four hops, and two connections: the server's (a phone has none open, whatever Chromium reused) and WeChat's.
    expect(figures.chain.roundTrips).toMatchObject({ documentHops: 4, connections: 2 });
    expect(figures.chain.floorMs).toBeCloseTo(6 * 150 + 20, 5);
  });

  it('lists what else the page fetched, and tells Chromium’s own favicon request apart', () => {
    const style: RequestRecord = { ...openerChain(), requestId: 'css', url: `${SERVER}/style.css`, resourceType: 'Stylesheet', redirects: [] };
    const favicon: RequestRecord = { ...openerChain(), requestId: 'ico', url: `${SERVER}/favicon.ico`, resourceType: 'Other', redirects: [], finished: { atMs: 1900, bytes: 612 } };
    const figures = confirmationFigures(openerChain(), [style, favicon], SLOW_4G);
    expect(figures.subresources).toEqual([`Stylesheet ${SERVER}/style.css`]);
    expect(figures.faviconBytes).toBe(612);
  });

  it('refuses a page that never arrived', () => {
    const failed: RequestRecord = { ...openerChain(), finished: undefined, failed: { atMs: 1700, errorText: 'net::ERR_CONNECTION_REFUSED' } };
    expect(() => confirmationFigures(failed, [], SLOW_4G)).toThrow(/ERR_CONNECTION_REFUSED/);
  });
});
