import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RATE_LIMIT_RULES } from '../../src/rate-limit/rules.js';
import { browser } from '../support/http.js';
import { startWechatHarness, type WechatHarness } from '../support/wechat-harness.js';
import { createTestRuntime, uniqueDbName } from '../support/test-runtime.js';

const ENABLED = { RATE_LIMIT_ENABLED: 'true', TRUST_PROXY: 'loopback' };

describe('rate limits', () => {
  let harness: WechatHarness;
  beforeAll(async () => {
    harness = await startWechatHarness({ env: ENABLED });
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('limits get-qrcode per client IP with 429, Retry-After and our error shape', async () => {
    const from = (ip: string) => request(harness.runtime.app).get('/api/v1/pub/mp/get-qrcode').set('X-Forwarded-For', ip);
    for (let i = 0; i < RATE_LIMIT_RULES.getQrcode.max; i += 1) expect((await from('198.51.100.1')).status).toBe(200);
    const limited = await from('198.51.100.1');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(limited.body).toMatchObject({ success: false, error: { code: 'RATE_LIMITED' } });
    expect((await from('198.51.100.2')).status).toBe(200); // another client keeps its own budget
  });

  it('answers a burst from one client at once: exactly the budget passes, the rest get 429', async () => {
    const burst = await Promise.all(
      Array.from({ length: 100 }, () => request(harness.runtime.app).get('/api/v1/pub/mp/get-qrcode').set('X-Forwarded-For', '198.51.100.77')),
    );
    const statuses = burst.map((res) => res.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(RATE_LIMIT_RULES.getQrcode.max);
    expect(statuses.filter((s) => s === 429)).toHaveLength(100 - RATE_LIMIT_RULES.getQrcode.max);
  });

  it('limits password sign-in in better-auth\'s shape, with Retry-After', async () => {
    const attempt = () =>
      request(harness.runtime.app).post('/api/auth/sign-in/email').set('X-Forwarded-For', '198.51.100.9').send({ email: 'x@example.com', password: 'wrong-password' });
    for (let i = 0; i < RATE_LIMIT_RULES.passwordSignIn.max; i += 1) expect((await attempt()).status).toBe(401);
    const limited = await attempt();
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({ code: 'RATE_LIMITED', message: expect.any(String) });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  });

  it('ignores X-Forwarded-For unless TRUST_PROXY says so', async () => {
    const runtime = await createTestRuntime({ env: { RATE_LIMIT_ENABLED: 'true' } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i <= RATE_LIMIT_RULES.signUp.max; i += 1) {
        // A client rotating X-Forwarded-For must not get a fresh budget each time.
        const res = await request(runtime.app).post('/api/auth/sign-up/email').set('X-Forwarded-For', `203.0.113.${i}`).send({});
        statuses.push(res.status);
      }
      expect(statuses.at(-1)).toBe(429);
    } finally {
      await runtime.close();
    }
  });

  it('shares one budget across instances through the database', async () => {
    const dbName = uniqueDbName('ratelimit');
    const [a, b] = await Promise.all([createTestRuntime({ env: ENABLED, dbName }), createTestRuntime({ env: ENABLED, dbName })]);
    try {
      const hit = (app: typeof a.app) => request(app).post('/api/auth/sign-up/email').set('X-Forwarded-For', '192.0.2.77').send({});
      const statuses: number[] = [];
      for (let i = 0; i <= RATE_LIMIT_RULES.signUp.max; i += 1) statuses.push((await hit(i % 2 === 0 ? a.app : b.app)).status);
      expect(statuses.slice(0, -1).every((s) => s !== 429)).toBe(true);
      expect(statuses.at(-1)).toBe(429);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('limits the scan-result poll and the push channel too', async () => {
    const client = browser(harness.runtime.app);
    const qr = await client.get('/api/v1/pub/mp/get-qrcode').set('X-Forwarded-For', '198.51.100.50');
    const sceneId = qr.body.data.sceneId as string;
    let last = 0;
    for (let i = 0; i <= RATE_LIMIT_RULES.getScanResult.max; i += 1) {
      last = (await client.get(`/api/v1/pub/mp/get-scan-result?sceneId=${sceneId}`).set('X-Forwarded-For', '198.51.100.50')).status;
    }
    expect(last).toBe(429);
    // Streams for unknown scenes close at once (404), so the budget can be spent quickly.
    const statuses: number[] = [];
    for (let i = 0; i <= RATE_LIMIT_RULES.scanEvents.max; i += 1) {
      statuses.push((await client.get(`/api/v1/pub/mp/scan-events?sceneId=${'u'.repeat(24)}`).set('X-Forwarded-For', '198.51.100.51')).status);
    }
    expect(statuses.slice(0, -1).every((s) => s === 404)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
  });
});
