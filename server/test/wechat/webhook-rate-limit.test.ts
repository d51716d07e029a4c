import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RATE_LIMIT_RULES } from '../../src/rate-limit/rules.js';
import { computeSignature } from '../../src/wechat/crypto.js';
import { REFUSED_PUSH_AUDIT_WINDOW_MS } from '../../src/routes/webhook-refusals.js';
import { auditEvents } from '../audit/audit-support.js';
import { newWechatUser, startWechatHarness, TEST_WECHAT, type WechatHarness } from '../support/wechat-harness.js';

/**
 * Issue 11, item 5: the webhook had no limit, and every refused push wrote an audit event, so one
 * script could bury the real events under thousands of fakes. Now one address gets a generous
 * budget (WeChat's pushes come from a pool of many addresses), and a flood leaves one audit event
 * per window with its count.
 */

/** Documentation addresses (RFC 5737), seen through a trusted loopback proxy. */
const FLOODER = '203.0.113.41';
const WECHAT_SERVER = '203.0.113.42';
const WEBHOOK = '/api/v1/pub/mp/webhook';

let harness: WechatHarness;
beforeAll(async () => {
  harness = await startWechatHarness({ mode: 'plain', env: { RATE_LIMIT_ENABLED: 'true', TRUST_PROXY: 'loopback' } });
});
afterAll(async () => {
  await harness?.close();
});

const windowIndex = (windowMs: number) => Math.floor(Date.now() / windowMs);
const sumOfCounts = (events: Array<{ details: { count?: number } }>) => events.reduce((sum, event) => sum + (event.details.count ?? 0), 0);

describe('the webhook per-IP rate limit', () => {
  it('answers a flood from one address with 429 and Retry-After once over budget, audited once per window', async () => {
    const budget = RATE_LIMIT_RULES.wechatWebhook.max;
    const firstLimitWindow = windowIndex(RATE_LIMIT_RULES.wechatWebhook.windowMs);
    const firstAuditWindow = windowIndex(REFUSED_PUSH_AUDIT_WINDOW_MS);
    const forged = { signature: '0'.repeat(40), timestamp: String(Math.floor(Date.now() / 1000)), nonce: '1', echostr: 'x' };
    const flood = () => request(harness.runtime.app).get(WEBHOOK).query(forged).set('X-Forwarded-For', FLOODER);

    let refusedForSignature = 0;
    let firstLimited: request.Response | undefined;
    // Sent one after another, so the budget is counted exactly; bounded in case the limit never comes.
    for (let sent = 0; sent < 2 * budget + 10 && !firstLimited; sent += 1) {
      const res = await flood();
      if (res.status === 429) firstLimited = res;
      else {
        expect(res.status).toBe(401);
        refusedForSignature += 1;
      }
    }
    expect(firstLimited, 'no 429 came').toBeDefined();
    // Exactly the budget passed, unless the flood straddled two budget windows.
    if (windowIndex(RATE_LIMIT_RULES.wechatWebhook.windowMs) === firstLimitWindow) expect(refusedForSignature).toBe(budget);
    else expect(refusedForSignature).toBeGreaterThanOrEqual(budget);
    expect(firstLimited!.body).toMatchObject({ success: false, error: { code: 'RATE_LIMITED' } });
    const retryAfter = Number(firstLimited!.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    let limited = 1;
    for (let i = 0; i < 20; i += 1) {
      // A new budget window may open meanwhile: then the forged request is refused for its signature again.
      if ((await flood()).status === 429) limited += 1;
      else refusedForSignature += 1;
    }

    // Pushes from another address (WeChat's own) are untouched by the flood.
    const timestamp = String(Math.floor(Date.now() / 1000));
    const nonce = String(Date.now() % 1_000_000_000);
    const genuine = await request(harness.runtime.app)
      .post(WEBHOOK)
      .query({ signature: computeSignature(TEST_WECHAT.token, timestamp, nonce), timestamp, nonce })
      .set('X-Forwarded-For', WECHAT_SERVER)
      .set('Content-Type', 'text/xml')
      .send(`<xml><ToUserName>gh_simulator00</ToUserName><FromUserName>${newWechatUser().openid}</FromUserName><CreateTime>${timestamp}</CreateTime><MsgType>text</MsgType><Content>hi</Content><MsgId>1</MsgId></xml>`);
    expect(genuine.status).toBe(200);
    expect(genuine.text).toBe('success');

    const auditWindows = windowIndex(REFUSED_PUSH_AUDIT_WINDOW_MS) - firstAuditWindow + 1;
    const rateLimited = await auditEvents(harness.runtime, { type: 'webhook.rate-limited', ip: FLOODER });
    expect(rateLimited.length).toBeGreaterThanOrEqual(1);
    expect(rateLimited.length).toBeLessThanOrEqual(auditWindows);
    expect(sumOfCounts(rateLimited as never)).toBe(limited);
    const forgedEvents = await auditEvents(harness.runtime, { type: 'webhook.signature-failed', ip: FLOODER });
    expect(forgedEvents.length).toBeLessThanOrEqual(auditWindows);
    expect(sumOfCounts(forgedEvents as never)).toBe(refusedForSignature);
    expect(await auditEvents(harness.runtime, { ip: WECHAT_SERVER })).toHaveLength(0);
  });
});
