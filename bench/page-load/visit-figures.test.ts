import { describe, expect, it } from 'vitest';
import type { RequestRecord } from './network-ledger.js';
import { floorMs, SLOW_4G, totalRoundTrips } from './network-profile.js';
import type { UsableMoment } from './usable-probe.js';
import { visitFigures } from './visit-figures.js';

const USABLE_AT = 10_000;

function request(resourceType: string, path: string, finishedAtMs: number | null, bytes: number, extra: Partial<RequestRecord> = {}): RequestRecord {
  return {
    requestId: `${resourceType}${path}`,
    url: path.startsWith('data:') ? path : `http://127.0.0.1:4000${path}`,
    resourceType,
    startedAtMs: 8000,
    finalRequestAtMs: 8000,
    redirects: [],
    servedFromCache: false,
    response: { status: 200, atMs: 8100, headerBytes: 200, fromDiskCache: false, connectionReused: true, contentEncoding: resourceType === 'Script' ? 'br' : null },
    chunks: [],
    ...(finishedAtMs === null ? {} : { finished: { atMs: finishedAtMs, bytes } }),
    ...extra,
  };
}

const usable = (detail: UsableMoment['detail']): UsableMoment => ({ sinceNavigationMs: 2000, atEpochMs: USABLE_AT, detail });

describe('visitFigures', () => {
  const firstVisit = [
    request('Document', '/sign-in', 8200, 1400),
    request('Script', '/assets/index.js', 9000, 100_000),
    request('Stylesheet', '/assets/index.css', 9000, 20_000),
    request('Fetch', '/api/v1/pub/mp/get-qrcode', 9900, 1400),
    request('Image', 'data:image/svg+xml,<svg/>', 9950, 0),
    request('EventSource', '/api/v1/pub/mp/scan-events', null, 0, { chunks: [{ atMs: 9990, bytes: 30 }] }),
    // Fetched after the page was usable (a lazy chunk): not part of the figure.
    request('Script', '/assets/AccountView.js', 12_000, 50_000, { startedAtMs: 10_500 }),
  ];

  it('counts what arrived before usable, the open stream by its bytes so far, and nothing started later', () => {
    const figures = visitFigures(firstVisit, usable('qr-drawn'), { profile: SLOW_4G, firstVisit: true });
    expect(figures.bytesBeforeUsable).toBe(1400 + 100_000 + 20_000 + 1400 + 200 + 30);
    expect(figures.requestsByType).toEqual({ Document: 1, Script: 1, Stylesheet: 1, Fetch: 1, EventSource: 1 });
    expect(figures.openAtUsable).toEqual(['/api/v1/pub/mp/scan-events']);
    expect(figures.usableMs).toBe(2000);
    expect(figures.codeBytesByEncoding).toEqual({ br: 100_000, identity: 20_000 });
  });

  it('takes the floor as connect + document + scripts + API round trips plus bytes through the downlink', () => {
    const figures = visitFigures(firstVisit, usable('qr-drawn'), { profile: SLOW_4G, firstVisit: true });
    // The document came over a reused connection, but a first visitor has none: the connect counts.
    expect(figures.roundTrips).toEqual({ connections: 1, documentHops: 1, subresources: 1, apiCalls: 1, qrImage: 0 });
    // 4 × 150 ms + 123,030 bytes at 200,000 bytes/s.
    expect(figures.floorMs).toBeCloseTo(600 + 615.15, 5);
  });

  it('adds a round trip when the QR code is the server image rather than drawn in the page', () => {
    const figures = visitFigures(firstVisit, usable('qr-image'), { profile: SLOW_4G, firstVisit: true });
    expect(figures.roundTrips.qrImage).toBe(1);
  });

  it('on a warm visit counts no bytes and no round trip for what came from the cache, nor a connect over a kept connection', () => {
    const warm = [
      request('Document', '/sign-in', 8200, 900),
      request('Script', '/assets/index.js', 8300, 0, { servedFromCache: true }),
      request('Fetch', '/api/v1/pub/mp/get-qrcode', 9900, 1400),
      request('Other', '/favicon.ico', 8400, 900),
    ];
    const figures = visitFigures(warm, usable('qr-drawn'), { profile: SLOW_4G, firstVisit: false });
    expect(figures.bytesBeforeUsable).toBe(900 + 1400 + 900);
    expect(figures.fromCache).toBe(1);
    expect(figures.requestsByType).toEqual({ Document: 1, Fetch: 1, favicon: 1 });
    expect(figures.roundTrips).toEqual({ connections: 0, documentHops: 1, subresources: 0, apiCalls: 1, qrImage: 0 });
  });
});

describe('floorMs', () => {
  it('is round trips × RTT + bytes × 8 / downlink bits per second', () => {
    const trips = { connections: 1, documentHops: 1, subresources: 1, apiCalls: 1, qrImage: 0 };
    expect(totalRoundTrips(trips)).toBe(4);
    // 150 kB at 1.6 Mbit/s is 0.75 s.
    expect(floorMs(SLOW_4G, trips, 150_000)).toBeCloseTo(4 * 150 + 750, 5);
  });
});
