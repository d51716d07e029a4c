import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeSignature } from '../../src/wechat/crypto.js';
import { DEDUPE_COLLECTION } from '../../src/wechat/webhook-dedupe.js';
import { SCENE_COLLECTION } from '../../src/wechat/scene-model.js';
import { browser } from '../support/http.js';
import { newWechatUser, requestQrcode, scanAndConfirm, startWechatHarness, TEST_WECHAT, type WechatHarness, scanFields } from '../support/wechat-harness.js';

describe.each(['plain', 'compatible', 'safe'] as const)('webhook in %s mode', (mode) => {
  let harness: WechatHarness;
  beforeAll(async () => {
    harness = await startWechatHarness({ mode });
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('records a scan and signs the browser in', async () => {
    const client = browser(harness.runtime.app);
    const qrcode = await requestQrcode(client);
    const push = await scanAndConfirm(harness, qrcode, newWechatUser());
    expect(push.status).toBe(200);
    expect(push.reply?.Content).toMatch(/^你正在电脑上登录/);
    expect((await client.post('/api/auth/sign-in-wechat', { sceneId: qrcode.sceneId })).status).toBe(200);
  });
});

describe('webhook verification and safety', () => {
  let harness: WechatHarness;
  const scenes = () => harness.runtime.database.db.collection(SCENE_COLLECTION);
  beforeAll(async () => {
    harness = await startWechatHarness({ mode: 'safe' });
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('echoes echostr only for a valid URL verification', async () => {
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = computeSignature(TEST_WECHAT.token, timestamp, '12345');
    const ok = await request(harness.runtime.app).get('/api/v1/pub/mp/webhook').query({ signature, timestamp, nonce: '12345', echostr: 'echo-me-123' });
    expect(ok.status).toBe(200);
    expect(ok.text).toBe('echo-me-123');
    const bad = await request(harness.runtime.app).get('/api/v1/pub/mp/webhook').query({ signature: 'f'.repeat(40), timestamp, nonce: '12345', echostr: 'echo-me-123' });
    expect(bad.status).toBe(401);
    expect(bad.text).not.toContain('echo-me-123');
    expect(bad.body.error.code).toBe('WECHAT_SIGNATURE_INVALID');
    const stale = String(Math.floor(Date.now() / 1000) - 3600);
    const replayed = await request(harness.runtime.app)
      .get('/api/v1/pub/mp/webhook')
      .query({ signature: computeSignature(TEST_WECHAT.token, stale, '12345'), timestamp: stale, nonce: '12345', echostr: 'echo-me-123' });
    expect(replayed.status).toBe(401);
    expect(replayed.text).not.toContain('echo-me-123');
  });

  it('refuses a bad signature with 401 and records nothing', async () => {
    const client = browser(harness.runtime.app);
    const qrcode = await requestQrcode(client);
    const push = await harness.simulator.phone.push({ fields: scanFields(qrcode.sceneId, newWechatUser().openid), tamper: { msgSignature: '0'.repeat(40) } });
    expect(push.status).toBe(401);
    expect((await scenes().findOne({ _id: qrcode.sceneId as never }))?.status).toBe('pending');
  });

  it('refuses a valid envelope sealed for another appid', async () => {
    const client = browser(harness.runtime.app);
    const qrcode = await requestQrcode(client);
    const push = await harness.simulator.phone.push({ fields: scanFields(qrcode.sceneId, newWechatUser().openid), tamper: { appIdInside: 'wxffffffffffffffff' } });
    expect(push.status).toBe(401);
    expect((await scenes().findOne({ _id: qrcode.sceneId as never }))?.status).toBe('pending');
  });

  it('refuses a stale timestamp', async () => {
    const client = browser(harness.runtime.app);
    const qrcode = await requestQrcode(client);
    const stale = String(Math.floor(Date.now() / 1000) - 3600);
    const push = await harness.simulator.phone.push({ fields: scanFields(qrcode.sceneId, newWechatUser().openid), tamper: { timestamp: stale } });
    expect(push.status).toBe(401);
    expect((await scenes().findOne({ _id: qrcode.sceneId as never }))?.status).toBe('pending');
  });

  it('processes a replayed event once', async () => {
    const client = browser(harness.runtime.app);
    const qrcode = await requestQrcode(client);
    const fields = scanFields(qrcode.sceneId, newWechatUser().openid);
    const first = await harness.simulator.phone.push({ fields });
    const scannedAt = (await scenes().findOne({ _id: qrcode.sceneId as never }))?.scannedAt;
    const second = await harness.simulator.phone.push({ fields });
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(second.reply?.Content).toBe(first.reply?.Content);
    const scene = await scenes().findOne({ _id: qrcode.sceneId as never });
    expect(scene?.scannedAt).toEqual(scannedAt);
    const key = `event:${fields.FromUserName}:${fields.CreateTime}:SCAN:${qrcode.sceneId}`;
    expect(await harness.runtime.database.db.collection(DEDUPE_COLLECTION).countDocuments({ _id: key as never })).toBe(1);
  });

  it('does not let a second WeChat user take over a scanned scene', async () => {
    const client = browser(harness.runtime.app);
    const qrcode = await requestQrcode(client);
    const first = newWechatUser();
    await harness.simulator.phone.push({ fields: scanFields(qrcode.sceneId, first.openid) });
    const other = await harness.simulator.phone.push({ fields: scanFields(qrcode.sceneId, newWechatUser().openid) });
    expect(other.body).toBe('success');
    expect((await scenes().findOne({ _id: qrcode.sceneId as never }))?.openid).toBe(first.openid);
  });

  it('acknowledges other events with success', async () => {
    const text = await harness.simulator.phone.sendText({ openid: newWechatUser().openid, content: 'hello' });
    expect(text.status).toBe(200);
    expect(text.body).toBe('success');
  });

  it('answers malformed XML with 400 and an oversized body with 413', async () => {
    const timestamp = String(Math.floor(Date.now() / 1000));
    const query = { signature: computeSignature(TEST_WECHAT.token, timestamp, '1'), timestamp, nonce: '1' };
    const malformed = await request(harness.runtime.app).post('/api/v1/pub/mp/webhook').query(query).set('Content-Type', 'text/xml').send('<xml><ToUserName>');
    expect(malformed.status).toBe(400);
    const huge = await request(harness.runtime.app).post('/api/v1/pub/mp/webhook').query(query).set('Content-Type', 'text/xml').send(`<xml>${'a'.repeat(70 * 1024)}</xml>`);
    expect(huge.status).toBe(413);
    const entity = await request(harness.runtime.app)
      .post('/api/v1/pub/mp/webhook')
      .query(query)
      .set('Content-Type', 'text/xml')
      .send('<!DOCTYPE xml [<!ENTITY x "boom">]><xml><Content>&x;</Content></xml>');
    expect(entity.status).toBe(400);
  });
});
