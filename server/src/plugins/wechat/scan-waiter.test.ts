import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ScanResult } from '@wechat-login/shared';
import { ScanWaitError, waitForScan } from './scan-waiter.js';

/** get-scan-result answers these, one per poll (the last one repeats). */
function serveScanResults(results: ScanResult[]) {
  let call = 0;
  const fetchMock = vi.fn(async () => {
    const data = results[Math.min(call, results.length - 1)];
    call += 1;
    return new Response(JSON.stringify({ success: true, data }), { status: 200, headers: { 'content-type': 'application/json' } });
  });
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

// Node has no EventSource, so these exercise the polling fallback, which the push channel shares its rules with.
describe('waitForScan', () => {
  it('tells the page once that the phone must confirm, and resolves with the confirmed scan', async () => {
    serveScanResults([
      { status: 'pending', scanned: false },
      { status: 'scanned', scanned: true },
      { status: 'scanned', scanned: true },
      { status: 'confirmed', scanned: true, openid: 'o1', unionid: null, nickname: null, avatar: null },
    ]);
    const onAwaitingConfirmation = vi.fn();
    const result = await waitForScan('http://app.test', 'scene-0000000000000001', { pollIntervalMs: 1, onAwaitingConfirmation });
    expect(result).toMatchObject({ status: 'confirmed', openid: 'o1' });
    expect(onAwaitingConfirmation).toHaveBeenCalledTimes(1);
  });

  it('rejects with SCENE_DENIED when the phone said "this wasn\'t me"', async () => {
    const fetchMock = serveScanResults([{ status: 'scanned', scanned: true }, { status: 'denied', scanned: true }]);
    const waiting = waitForScan('http://app.test', 'scene-0000000000000001', { pollIntervalMs: 1 });
    await expect(waiting).rejects.toBeInstanceOf(ScanWaitError);
    await expect(waiting).rejects.toMatchObject({ code: 'SCENE_DENIED' });
    const calls = fetchMock.mock.calls.length;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(fetchMock.mock.calls.length).toBe(calls);
  });
});
