import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeSignature } from '../../src/wechat/crypto.js';
import { DEDUPE_COLLECTION } from '../../src/wechat/webhook/dedupe.js';
import { SCENE_COLLECTION } from '../../src/wechat/scenes/scene-store.js';
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

/**
 * Issue 11, item 1: in plain mode WeChat's signature covers Token + timestamp + nonce and never the
 * body, so whoever saw a signed query (a proxy log, say) could post any body under it for as long
 * as the replay window lasts. Each signed query is now good for one body.
 */
describe('a signed plain-mode query is good for one body', () => {
  let harness: WechatHarness;
  const scenes = () => harness.runtime.database.db.collection(SCENE_COLLECTION);
  const signedNow = () => ({ timestamp: String(Math.floor(Date.now() / 1000)), nonce: String(100_000_000 + Math.floor(Math.random() * 2_000_000_000)) });
  beforeAll(async () => {
    harness = await startWechatHarness({ mode: 'plain' });
  });
  afterAll(async () => {
    await harness?.close();
  });

  it("answers WeChat's retry (the same query, the same body) as the first delivery", async () => {
    const client = browser(harness.runtime.app);
    const qrcode = await requestQrcode(client);
    const signed = signedNow();
    const fields = scanFields(qrcode.sceneId, newWechatUser().openid);
    const first = await harness.simulator.phone.push({ fields, ...signed });
    const retry = await harness.simulator.phone.push({ fields, ...signed });
    expect(first.status).toBe(200);
    expect(retry.status).toBe(200);
    expect(retry.query).toEqual(first.query);
    expect(retry.reply?.Content).toBe(first.reply?.Content);
  });

  it('refuses the same signed query with another body (a replay from a log), and records nothing', async () => {
    const victim = newWechatUser({ subscribed: true });
    const signed = signedNow();
    const genuine = await harness.simulator.phone.push({ fields: { ...scanFields('not-a-login-scene', victim.openid), MsgType: 'text', Content: 'hi' }, ...signed });
    expect(genuine.status).toBe(200);
    // The attacker's own QR code, "scanned" by the victim's openid, under the logged query.
    const attacker = browser(harness.runtime.app);
    const qrcode = await requestQrcode(attacker);
    const replay = await request(harness.runtime.app)
      .post('/api/v1/pub/mp/webhook')
      .query(genuine.query)
      .set('Content-Type', 'text/xml')
      .send(`<xml><ToUserName>gh_simulator00</ToUserName><FromUserName>${victim.openid}</FromUserName><CreateTime>${signed.timestamp}</CreateTime><MsgType>event</MsgType><Event>SCAN</Event><EventKey>${qrcode.sceneId}</EventKey><Ticket>x</Ticket></xml>`);
    expect(replay.status).toBe(401);
    expect(replay.body.error.code).toBe('WECHAT_SIGNED_QUERY_REUSED');
    expect((await scenes().findOne({ _id: qrcode.sceneId as never }))?.status).toBe('pending');
    expect((await attacker.get(`/api/v1/pub/mp/get-scan-result?sceneId=${qrcode.sceneId}`)).body.data).toEqual({ status: 'pending', scanned: false });
  });

  it('refuses a URL verification replayed with another echostr, and echoes the same one again', async () => {
    const { timestamp, nonce } = signedNow();
    const query = { signature: computeSignature(TEST_WECHAT.token, timestamp, nonce), timestamp, nonce };
    const first = await request(harness.runtime.app).get('/api/v1/pub/mp/webhook').query({ ...query, echostr: 'genuine-echo-1' });
    expect(first.text).toBe('genuine-echo-1');
    const again = await request(harness.runtime.app).get('/api/v1/pub/mp/webhook').query({ ...query, echostr: 'genuine-echo-1' });
    expect(again.text).toBe('genuine-echo-1');
    const other = await request(harness.runtime.app).get('/api/v1/pub/mp/webhook').query({ ...query, echostr: '<h1>attacker</h1>' });
    expect(other.status).toBe(401);
    expect(other.text).not.toContain('attacker');
    expect(other.body.error.code).toBe('WECHAT_SIGNED_QUERY_REUSED');
  });

  it('refuses the query of a URL verification as the signature of a push (the signature is the same)', async () => {
    const { timestamp, nonce } = signedNow();
    const query = { signature: computeSignature(TEST_WECHAT.token, timestamp, nonce), timestamp, nonce };
    expect((await request(harness.runtime.app).get('/api/v1/pub/mp/webhook').query({ ...query, echostr: 'e1' })).status).toBe(200);
    const qrcode = await requestQrcode(browser(harness.runtime.app));
    const push = await harness.simulator.phone.push({ fields: scanFields(qrcode.sceneId, newWechatUser().openid), timestamp, nonce, retries: 0 });
    expect(push.status).toBe(401);
    expect((await scenes().findOne({ _id: qrcode.sceneId as never }))?.status).toBe('pending');
  });

  it('applies exactly one of two bodies raced under one signed query', async () => {
    const client = browser(harness.runtime.app);
    const [one, two] = await Promise.all([requestQrcode(client), requestQrcode(client)]);
    const signed = signedNow();
    const results = await Promise.all([
      harness.simulator.phone.push({ fields: scanFields(one.sceneId, newWechatUser().openid), ...signed, retries: 0 }),
      harness.simulator.phone.push({ fields: scanFields(two.sceneId, newWechatUser().openid), ...signed, retries: 0 }),
    ]);
    expect(results.map((result) => result.status).sort()).toEqual([200, 401]);
    const scanned = await scenes().countDocuments({ _id: { $in: [one.sceneId, two.sceneId] } as never, status: 'scanned' });
    expect(scanned).toBe(1);
  });
});

describe('a signed safe-mode query is bound to its body by msg_signature', () => {
  let harness: WechatHarness;
  beforeAll(async () => {
    harness = await startWechatHarness({ mode: 'safe' });
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('refuses a captured query with another (validly sealed) body: the signature already fails', async () => {
    const qrcode = await requestQrcode(browser(harness.runtime.app));
    const genuine = await harness.simulator.phone.sendText({ openid: newWechatUser().openid, content: 'hello' });
    expect(genuine.status).toBe(200);
    // A second push, sealed by WeChat for the attacker's QR code; its body under the first push's query.
    const other = await harness.simulator.phone.push({ fields: scanFields(qrcode.sceneId, newWechatUser().openid), retries: 0, tamper: { msgSignature: '0'.repeat(40) } });
    expect(other.status).toBe(401);
    const replay = await request(harness.runtime.app).post('/api/v1/pub/mp/webhook').query(genuine.query).set('Content-Type', 'text/xml').send(other.sentBody);
    expect(replay.status).toBe(401);
    expect(replay.body.error.code).toBe('WECHAT_SIGNATURE_INVALID');
    expect((await harness.runtime.database.db.collection(SCENE_COLLECTION).findOne({ _id: qrcode.sceneId as never }))?.status).toBe('pending');
  });
});
