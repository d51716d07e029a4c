import { EventEmitter } from 'node:events';
import type { CDPSession } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { bytesBy, NetworkLedger, wentOverNetwork } from './network-ledger.js';

/** A CDP session that replays events: what Chromium sends over the Network domain. */
function fakeSession() {
  const emitter = new EventEmitter();
  const session = emitter as unknown as CDPSession;
  const send = (method: string, params: Record<string, unknown>) => emitter.emit('event', { method, params });
  return { session, send, listeners: () => emitter.listenerCount('event') };
}

// CDP's clock is monotonic seconds; the first request also gives the wall time (here 1,000 s later).
const WALL_OFFSET_S = 1000;
const start = (requestId: string, url: string, atS: number, extra: Record<string, unknown> = {}) => ({
  requestId,
  timestamp: atS,
  wallTime: atS + WALL_OFFSET_S,
  type: 'Document',
  request: { url },
  ...extra,
});
const wall = (atS: number) => (atS + WALL_OFFSET_S) * 1000;

describe('NetworkLedger', () => {
  it('follows a redirect chain under one request id, with each hop and its bytes', () => {
    const { session, send } = fakeSession();
    const ledger = new NetworkLedger(session);
    send('Network.requestWillBeSent', start('doc', 'http://a/link', 10));
    send('Network.requestWillBeSent', start('doc', 'http://wechat/authorize', 10.2, { redirectResponse: { status: 302, encodedDataLength: 400, connectionReused: false } }));
    send('Network.requestWillBeSent', start('doc', 'http://a/page', 10.4, { redirectResponse: { status: 302, encodedDataLength: 300, connectionReused: false } }));
    send('Network.responseReceived', { requestId: 'doc', timestamp: 10.6, response: { status: 200, encodedDataLength: 250, connectionReused: true, headers: { 'Content-Encoding': 'br' } } });
    send('Network.loadingFinished', { requestId: 'doc', timestamp: 10.7, encodedDataLength: 2000 });

    const [record] = ledger.requests;
    expect(record?.url).toBe('http://a/page');
    expect(record?.redirects.map((hop) => [hop.url, hop.status, hop.bytes])).toEqual([
      ['http://a/link', 302, 400],
      ['http://wechat/authorize', 302, 300],
    ]);
    expect(record?.startedAtMs).toBeCloseTo(wall(10));
    expect(record?.finalRequestAtMs).toBeCloseTo(wall(10.4));
    expect(record?.response?.contentEncoding).toBe('br');
    // Everything by the end; only the first redirect by the time the second request was sent.
    expect(bytesBy(record!, wall(11))).toBe(2700);
    expect(bytesBy(record!, wall(10.3))).toBe(400);
  });

  it('counts a stream still open by its headers and the chunks in so far', () => {
    const { session, send } = fakeSession();
    const ledger = new NetworkLedger(session);
    send('Network.requestWillBeSent', start('sse', 'http://a/scan-events', 1, { type: 'EventSource' }));
    send('Network.responseReceived', { requestId: 'sse', timestamp: 1.2, response: { status: 200, encodedDataLength: 180, connectionReused: true } });
    send('Network.dataReceived', { requestId: 'sse', timestamp: 1.3, dataLength: 20 });
    send('Network.dataReceived', { requestId: 'sse', timestamp: 5, dataLength: 20 });

    const [stream] = ledger.requests;
    expect(bytesBy(stream!, wall(1.1))).toBe(0);
    expect(bytesBy(stream!, wall(2))).toBe(200);
    expect(bytesBy(stream!, wall(6))).toBe(220);
    expect(ledger.inFlight(() => false)).toHaveLength(1);
    expect(ledger.inFlight((record) => record.resourceType === 'EventSource')).toHaveLength(0);
  });

  it('counts nothing for an answer from the cache, though Chromium reports the stored size on its response', () => {
    const { session, send } = fakeSession();
    const ledger = new NetworkLedger(session);
    send('Network.requestWillBeSent', start('js', 'http://a/assets/index.js', 1, { type: 'Script' }));
    send('Network.requestServedFromCache', { requestId: 'js' });
    send('Network.responseReceived', { requestId: 'js', timestamp: 1, response: { status: 200, encodedDataLength: 200_295, connectionReused: true } });

    const [script] = ledger.requests;
    expect(wentOverNetwork(script!)).toBe(false);
    expect(bytesBy(script!, wall(2))).toBe(0);
  });

  it('stops listening when detached', () => {
    const { session, send, listeners } = fakeSession();
    const ledger = new NetworkLedger(session);
    expect(listeners()).toBe(1);
    ledger.detach();
    expect(listeners()).toBe(0);
    send('Network.requestWillBeSent', start('late', 'http://a/late', 1));
    expect(ledger.requests).toHaveLength(0);
  });
});
