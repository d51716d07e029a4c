import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linksInReply } from '../../src/simulator/in-app-browser.js';
import { browser } from '../support/http.js';
import { newWechatUser, requestQrcode, scanAndConfirm, scanFields, signInByWechat, startWechatHarness, TEST_WECHAT, type WechatHarness } from '../support/wechat-harness.js';
import request from 'supertest';
import { computeSignature } from '../../src/wechat/crypto.js';
import { REFUSED_PUSH_AUDIT_WINDOW_MS } from '../../src/routes/webhook-refusals.js';
import { auditEvents, uniqueUserAgent } from './audit-support.js';

/** Documentation addresses (RFC 5737) as the sources, through a trusted loopback proxy. */
const FLOOD_IP = '192.0.2.77';
const OTHER_IP = '192.0.2.78';

let harness: WechatHarness;
beforeAll(async () => {
  harness = await startWechatHarness({ mode: 'safe', env: { TRUST_PROXY: 'loopback' } });
});
const webhookGet = (query: Record<string, string>) => request(harness.runtime.app).get('/api/v1/pub/mp/webhook').query(query);
afterAll(async () => {
  await harness?.close();
});

const eventsFor = (filter: Record<string, unknown>) => auditEvents(harness.runtime, filter);

describe('the WeChat side of the audit trail', () => {
  it('records each QR code with the asking browser, and the token refresh it took, once', async () => {
    const userAgent = uniqueUserAgent('qr');
    const client = browser(harness.runtime.app);
    client.agent.set('User-Agent', userAgent);
    const first = (await client.get('/api/v1/pub/mp/get-qrcode')).body.data;
    await client.get('/api/v1/pub/mp/get-qrcode');
    const created = await eventsFor({ type: 'qr.created', userAgent });
    expect(created).toHaveLength(2);
    expect(created[0]).toMatchObject({ outcome: 'success', ip: expect.stringMatching(/127\.0\.0\.1/), details: { purpose: 'login', scene: first.sceneId.slice(0, 8) } });
    expect(JSON.stringify(created)).not.toContain(first.sceneId);
    expect(await eventsFor({ type: 'wechat-api.token-refreshed' })).toHaveLength(1);
  });

  it('records a scan once although WeChat delivers it twice, and the confirmation under the user', async () => {
    const user = newWechatUser({ subscribed: true });
    const { body } = await signInByWechat(harness, user); // the WeChat user has an account now
    const client = browser(harness.runtime.app);
    const qrcode = await requestQrcode(client);
    const fields = scanFields(qrcode.sceneId, user.openid);
    const push = await harness.simulator.phone.push({ fields });
    await harness.simulator.phone.push({ fields }); // WeChat's retry of the same event
    await harness.simulator.phone.answerConfirmation(push.reply, 'confirm');

    const scans = await eventsFor({ type: 'scan.received', 'details.openid': user.openid });
    expect(scans).toHaveLength(2); // the sign-in above, and this one: not three
    expect(scans[1]).toMatchObject({ outcome: 'success', userId: body.user.id, details: { purpose: 'login', scene: qrcode.sceneId.slice(0, 8) } });
    const confirmations = await eventsFor({ type: 'scan.confirmed', 'details.openid': user.openid });
    expect(confirmations).toHaveLength(2);
    expect(confirmations[1]).toMatchObject({ userId: body.user.id, userAgent: expect.stringContaining('MicroMessenger') });
  });

  it('records "this wasn\'t me", and a refused repeat answer not again', async () => {
    const user = newWechatUser();
    const qrcode = await requestQrcode(browser(harness.runtime.app));
    const push = await harness.simulator.phone.scan({ ticketOrUrl: qrcode.qrcodeContent, user });
    await harness.simulator.phone.answerConfirmation(push.reply, 'deny');
    await harness.simulator.phone.answerConfirmation(push.reply, 'confirm');
    expect(await eventsFor({ type: 'scan.denied', 'details.openid': user.openid })).toHaveLength(1);
    expect(await eventsFor({ type: 'scan.confirmed', 'details.openid': user.openid })).toHaveLength(0);
  });

  it('records pushes refused for their signature, with the code', async () => {
    const qrcode = await requestQrcode(browser(harness.runtime.app));
    const refused = await harness.simulator.phone.push({ fields: scanFields(qrcode.sceneId, 'oForger'), tamper: { signature: 'f'.repeat(40), msgSignature: 'f'.repeat(40) } });
    expect(refused.status).toBe(401);
    const failures = await eventsFor({ type: 'webhook.signature-failed', 'details.code': 'WECHAT_SIGNATURE_INVALID' });
    expect(failures.length).toBeGreaterThanOrEqual(1);
    expect(failures.at(-1)).toMatchObject({ outcome: 'failure', details: { code: 'WECHAT_SIGNATURE_INVALID', count: expect.any(Number) } });
  });

  it('stores a flood of refused pushes as one event per source and reason in a window, with the count', async () => {
    const windowIndex = () => Math.floor(Date.now() / REFUSED_PUSH_AUDIT_WINDOW_MS);
    const firstWindow = windowIndex();
    const timestamp = String(Math.floor(Date.now() / 1000));
    const stale = String(Math.floor(Date.now() / 1000) - 3600);
    const from = (ip: string) => ({ 'X-Forwarded-For': ip, 'User-Agent': `flood-${Math.random()}` });
    const forged = { signature: 'f'.repeat(40), timestamp, nonce: '1', echostr: 'x' };
    const outOfWindow = { signature: computeSignature(TEST_WECHAT.token, stale, '2'), timestamp: stale, nonce: '2', echostr: 'x' };
    for (let i = 0; i < 25; i += 1) expect((await webhookGet(forged).set(from(FLOOD_IP))).status).toBe(401);
    for (let i = 0; i < 4; i += 1) expect((await webhookGet(outOfWindow).set(from(FLOOD_IP))).status).toBe(401);
    expect((await webhookGet(forged).set(from(OTHER_IP))).status).toBe(401);
    const windowsTouched = windowIndex() - firstWindow + 1;

    const byCode = async (ip: string, code: string) => eventsFor({ type: 'webhook.signature-failed', ip, 'details.code': code });
    const forgedEvents = await byCode(FLOOD_IP, 'WECHAT_SIGNATURE_INVALID');
    expect(forgedEvents.length).toBeGreaterThanOrEqual(1);
    expect(forgedEvents.length).toBeLessThanOrEqual(windowsTouched);
    expect(forgedEvents.reduce((sum, event) => sum + event.details.count, 0)).toBe(25);
    const staleEvents = await byCode(FLOOD_IP, 'WECHAT_TIMESTAMP_OUT_OF_WINDOW');
    expect(staleEvents.length).toBeLessThanOrEqual(windowsTouched);
    expect(staleEvents.reduce((sum, event) => sum + event.details.count, 0)).toBe(4);
    expect((await byCode(OTHER_IP, 'WECHAT_SIGNATURE_INVALID')).map((event) => event.details.count)).toEqual([1]);
    // A varying user agent does not split the count: the first one is kept.
    expect(forgedEvents[0]).toMatchObject({ outcome: 'failure', userAgent: expect.stringMatching(/^flood-/) });
  });

  it('records a WeChat API call that finally failed, once per call', async () => {
    harness.simulator.faults.down();
    try {
      expect((await browser(harness.runtime.app).get('/api/v1/pub/mp/get-qrcode')).body.error.code).toBe('WECHAT_UNREACHABLE');
    } finally {
      harness.simulator.faults.clear();
    }
    const errors = await eventsFor({ type: 'wechat-api.error' });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ outcome: 'failure', details: { api: '/cgi-bin/qrcode/create', code: 'WECHAT_UNREACHABLE' } });
  });

  it('keeps every secret out of the trail', async () => {
    const user = newWechatUser();
    const client = browser(harness.runtime.app);
    const res = await client.get('/api/v1/pub/mp/get-qrcode');
    const bindingCookie = ([] as string[]).concat(res.headers['set-cookie'] ?? [])[0]!.split(';')[0]!.split('=')[1]!;
    const push = await scanAndConfirm(harness, res.body.data, user);
    const token = new URL(linksInReply(push.reply!.Content!)[0]!.href).searchParams.get('t')!;
    const accessToken = (await harness.runtime.database.db.collection('wechat_access_tokens').findOne({}))?.accessToken as string | undefined;
    const stored = JSON.stringify(await eventsFor({}));
    for (const secret of [bindingCookie, token, TEST_WECHAT.appSecret, TEST_WECHAT.encodingAESKey, TEST_WECHAT.token, res.body.data.sceneId, accessToken]) {
      if (secret) expect(stored).not.toContain(secret);
    }
  });
});
