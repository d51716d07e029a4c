import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { browser } from '../support/http.js';
import { startWechatHarness, type WechatHarness } from '../support/wechat-harness.js';

let harness: WechatHarness;
beforeAll(async () => {
  harness = await startWechatHarness({ mode: 'safe' });
});
afterAll(async () => {
  await harness?.close();
});
beforeEach(() => {
  harness.simulator.faults.clear();
});

describe('WeChat API faults', () => {
  it('fetches one token for many QR codes, shared through the database', async () => {
    harness.simulator.stats.reset();
    const client = browser(harness.runtime.app);
    const results = await Promise.all(Array.from({ length: 10 }, () => client.get('/api/v1/pub/mp/get-qrcode')));
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(harness.simulator.stats.tokenFetches + harness.simulator.stats.stableTokenFetches).toBeLessThanOrEqual(1);
  });

  it('refreshes a token revoked upstream once and retries the call', async () => {
    await browser(harness.runtime.app).get('/api/v1/pub/mp/get-qrcode');
    harness.simulator.stats.reset();
    harness.simulator.faults.revokeTokens();
    const res = await browser(harness.runtime.app).get('/api/v1/pub/mp/get-qrcode');
    expect(res.status).toBe(200);
    expect(harness.simulator.stats.tokenFetches + harness.simulator.stats.stableTokenFetches).toBe(1);
  });

  it('answers WeChat being down with a clear error code, and recovers', async () => {
    harness.simulator.faults.down();
    const down = await browser(harness.runtime.app).get('/api/v1/pub/mp/get-qrcode');
    expect(down.status).toBeGreaterThanOrEqual(502);
    expect(['WECHAT_UNREACHABLE', 'WECHAT_TIMEOUT', 'WECHAT_BAD_RESPONSE']).toContain(down.body.error.code);
    harness.simulator.faults.clear();
    expect((await browser(harness.runtime.app).get('/api/v1/pub/mp/get-qrcode')).status).toBe(200);
  });

  it('maps WeChat errcodes to actionable messages', async () => {
    harness.simulator.faults.failNext(40164, 'invalid ip 203.0.113.7 ipv6 ::ffff:203.0.113.7, not in whitelist rid: 1');
    const ip = await browser(harness.runtime.app).get('/api/v1/pub/mp/get-qrcode');
    expect(ip.body.error.code).toBe('WECHAT_IP_NOT_WHITELISTED');
    expect(ip.body.error.message).toContain('203.0.113.7');

    harness.simulator.faults.failNext(45009, 'reach max api daily quota limit rid: 2');
    const quota = await browser(harness.runtime.app).get('/api/v1/pub/mp/get-qrcode');
    expect(quota.status).toBe(503);
    expect(quota.body.error.code).toBe('WECHAT_QUOTA_EXCEEDED');
    expect(Number(quota.headers['retry-after'])).toBeGreaterThan(0);
  });
});
