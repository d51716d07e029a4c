import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCENE_COLLECTION } from '../../src/wechat/scenes/scene-store.js';
import { DEDUPE_COLLECTION } from '../../src/wechat/webhook/dedupe.js';
import { startDedicatedDatabase, type DedicatedDatabase } from '../support/dedicated-database.js';
import { browser } from '../support/http.js';
import { newWechatUser, requestQrcode, scanAndConfirm, startWechatHarness, type WechatHarness } from '../support/wechat-harness.js';

describe('WeChat API faults', () => {
  let harness: WechatHarness;
  beforeAll(async () => {
    harness = await startWechatHarness({ mode: 'safe' });
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('fails get-qrcode with WECHAT_TIMEOUT when WeChat is slower than the timeout, and recovers', async () => {
    await requestQrcode(browser(harness.runtime.app)); // a token is cached before the slowdown
    harness.simulator.faults.slow(7_000);
    const slow = await browser(harness.runtime.app).get('/api/v1/pub/mp/get-qrcode');
    expect(slow.status).toBe(504);
    expect(slow.body.error).toMatchObject({ code: 'WECHAT_TIMEOUT', message: expect.stringMatching(/5 s/) });
    harness.simulator.faults.clear();
    expect((await browser(harness.runtime.app).get('/api/v1/pub/mp/get-qrcode')).status).toBe(200);
  });

  it('keeps the webhook working while the WeChat API is down; the confirmation link waits for WeChat to say who opened it', async () => {
    const client = browser(harness.runtime.app);
    const qrcode = await requestQrcode(client);
    harness.simulator.faults.down();
    let push: Awaited<ReturnType<typeof harness.simulator.phone.scan>>;
    try {
      push = await harness.simulator.phone.scan({ ticketOrUrl: qrcode.qrcodeContent, user: newWechatUser() });
      expect(push.status).toBe(200);
      // The opener check needs WeChat's web authorization: no answer is taken on trust meanwhile.
      const meanwhile = await harness.simulator.phone.answerConfirmation(push.reply, 'confirm');
      expect(meanwhile.outcome).toBe('verify-failed');
    } finally {
      harness.simulator.faults.clear();
    }
    expect((await harness.simulator.phone.answerConfirmation(push.reply, 'confirm')).outcome).toBe('confirmed');
    expect((await client.post('/api/auth/sign-in-wechat', { sceneId: qrcode.sceneId })).status).toBe(200);
  });

});

describe('WeChat retrying a slow webhook', () => {
  let harness: WechatHarness;
  beforeAll(async () => {
    harness = await startWechatHarness({ mode: 'safe', pushTimeoutMs: 400 });
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('applies a push once when WeChat retries it after a slow first answer', async () => {
    const client = browser(harness.runtime.app);
    const qrcode = await requestQrcode(client);
    // user/info answers after the simulator's 400 ms push timeout: the first delivery is "lost" and retried.
    // Retries that arrive while the first delivery still waits on user/info wait too, so the phone keeps
    // retrying (every 400 ms) until one arrives after the scan was recorded; WeChat itself stops after 3,
    // but on a loaded machine the first delivery can need longer than 3 × 400 ms.
    harness.simulator.faults.slow(1_000);
    const user = newWechatUser();
    const push = await harness.simulator.phone.scan({ ticketOrUrl: qrcode.qrcodeContent, user, retries: 8 });
    harness.simulator.faults.clear();
    expect(push.attempts).toBeGreaterThan(1);
    expect(push.status).toBe(200);
    const db = harness.runtime.database.db;
    await expect.poll(() => db.collection(DEDUPE_COLLECTION).countDocuments({ _id: { $regex: `^event:${user.openid}:` } as never }), { timeout: 5_000 }).toBe(1);
    const scene = await db.collection(SCENE_COLLECTION).findOne({ _id: qrcode.sceneId as never });
    expect(scene).toMatchObject({ status: 'scanned', openid: user.openid });
    expect((await harness.simulator.phone.answerConfirmation(push.reply, 'confirm')).outcome).toBe('confirmed');
    const signIns = await Promise.all([1, 2].map(() => client.post('/api/auth/sign-in-wechat', { sceneId: qrcode.sceneId })));
    expect(signIns.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(await db.collection('account').countDocuments({ wechatOpenid: user.openid })).toBe(1);
  });
});

describe('database restart', () => {
  let database: DedicatedDatabase;
  let harness: WechatHarness;
  beforeAll(async () => {
    database = await startDedicatedDatabase();
    harness = await startWechatHarness({ mode: 'plain', env: { MONGODB_URI: database.uri } });
  });
  afterAll(async () => {
    await harness?.close();
    await database?.cleanup();
  });

  it('answers 503 in our error shape during the gap, writes nothing half, and recovers', async () => {
    const app = harness.runtime.app;
    await requestQrcode(browser(app));
    const scenesBefore = await harness.runtime.database.db.collection(SCENE_COLLECTION).countDocuments();

    await database.stop();
    expect((await request(app).get('/healthz')).body).toEqual({ status: 'degraded', db: 'down' });
    const during = await browser(app).get('/api/v1/pub/mp/get-qrcode');
    expect(during.status).toBe(503);
    expect(during.body).toEqual({ success: false, error: { code: 'DATABASE_UNAVAILABLE', message: expect.any(String) } });
    expect(Number(during.headers['retry-after'])).toBeGreaterThan(0);

    await database.restart();
    await expect.poll(async () => (await request(app).get('/healthz')).status, { timeout: 15_000, interval: 200 }).toBe(200);
    expect(await harness.runtime.database.db.collection(SCENE_COLLECTION).countDocuments()).toBe(scenesBefore);
    const client = browser(app);
    const qrcode = await requestQrcode(client);
    await scanAndConfirm(harness, qrcode, newWechatUser());
    expect((await client.post('/api/auth/sign-in-wechat', { sceneId: qrcode.sceneId })).status).toBe(200);
  });
});
