import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QrcodeSchema, ScanResultSchema } from '@wechat-login/shared';
import { SCENE_COLLECTION } from '../../src/wechat/scenes/scene-store.js';
import { browser } from '../support/http.js';
import { newWechatUser, requestQrcode, scanAndConfirm, signInByWechat, startWechatHarness, type WechatHarness, scanFields } from '../support/wechat-harness.js';

let harness: WechatHarness;
beforeAll(async () => {
  harness = await startWechatHarness({ mode: 'safe', env: { SITE_NAME: 'Acme Shop', WECHAT_MP_REPLY_LANG: 'en' } });
});
afterAll(async () => {
  await harness?.close();
});

const scenes = () => harness.runtime.database.db.collection(SCENE_COLLECTION);

describe('WeChat QR login', () => {
  it('issues a QR code bound to the browser with an HttpOnly, SameSite=Lax cookie', async () => {
    const client = browser(harness.runtime.app);
    const res = await client.get('/api/v1/pub/mp/get-qrcode');
    expect(res.status).toBe(200);
    const data = QrcodeSchema.parse(res.body.data);
    expect(data.expiresIn).toBe(300);
    expect(data.qrcodeUrl).toContain(`showqrcode?ticket=`);
    expect(([] as string[]).concat(res.headers['set-cookie'] ?? []).join(';')).toMatch(/wml_qr_binding=[^;]+;.*HttpOnly.*SameSite=Lax/i);
    const stored = await scenes().findOne({ _id: data.sceneId as never });
    expect(stored).toMatchObject({ status: 'pending', purpose: 'login', openid: null });
    const secret = ([] as string[]).concat(res.headers['set-cookie'] ?? [])[0]!.split(';')[0]!.split('=')[1]!;
    expect(JSON.stringify(stored)).not.toContain(secret);
  });

  it('signs a new user in after a scan, and the same WeChat gets the same account next time', async () => {
    const user = newWechatUser();
    const client = browser(harness.runtime.app);
    const qrcode = await requestQrcode(client);

    const before = await client.get(`/api/v1/pub/mp/get-scan-result?sceneId=${qrcode.sceneId}`);
    expect(before.body).toEqual({ success: true, data: { status: 'pending', scanned: false } });

    const push = await scanAndConfirm(harness, qrcode, user);
    expect(push.status).toBe(200);
    expect(push.reply?.Content).toMatch(/^You are signing in to Acme Shop on a computer\.\n/);

    const after = await client.get(`/api/v1/pub/mp/get-scan-result?sceneId=${qrcode.sceneId}`);
    expect(ScanResultSchema.parse(after.body.data)).toEqual({ status: 'confirmed', scanned: true, openid: user.openid, unionid: null, nickname: null, avatar: null });

    const signIn = await client.post('/api/auth/sign-in-wechat', { sceneId: qrcode.sceneId });
    expect(signIn.status).toBe(200);
    expect(signIn.body.isNewUser).toBe(true);
    expect(signIn.body.user.email).toBe(`${user.openid}@wechat.placeholder`.toLowerCase());
    expect(signIn.body.session.token).toBeUndefined();
    const session = await client.get('/api/auth/get-session');
    expect(session.body.user.id).toBe(signIn.body.user.id);

    const again = await signInByWechat(harness, user);
    expect(again.body.isNewUser).toBe(false);
    expect(again.body.user.id).toBe(signIn.body.user.id);
    const accounts = await harness.runtime.database.db.collection('account').find({ providerId: 'wechat' }).toArray();
    expect(accounts.filter((a) => a.wechatOpenid === user.openid)).toHaveLength(1);
  });

  it('accepts subscribe (first scan, qrscene_ prefix) and SCAN (already following)', async () => {
    const user = newWechatUser({ subscribed: false });
    const client = browser(harness.runtime.app);
    const first = await requestQrcode(client);
    const subscribe = await scanAndConfirm(harness, first, user);
    expect(subscribe.fields.Event).toBe('subscribe');
    expect(subscribe.fields.EventKey).toBe(`qrscene_${first.sceneId}`);
    expect((await client.post('/api/auth/sign-in-wechat', { sceneId: first.sceneId })).status).toBe(200);

    const second = await requestQrcode(client);
    const scan = await scanAndConfirm(harness, second, { ...user, subscribed: true });
    expect(scan.fields.Event).toBe('SCAN');
    expect(scan.fields.EventKey).toBe(second.sceneId);
    const signIn = await client.post('/api/auth/sign-in-wechat', { sceneId: second.sceneId });
    expect(signIn.status).toBe(200);
    expect(signIn.body.isNewUser).toBe(false);
  });

  it('uses the unionid from user/info as the account key when WeChat has one', async () => {
    const user = newWechatUser({ unionid: `uTest_${Date.now().toString(36)}` });
    const { body } = await signInByWechat(harness, user);
    const account = await harness.runtime.database.db.collection('account').findOne({ providerId: 'wechat', wechatOpenid: user.openid });
    expect(account?.accountId).toBe(user.unionid);
    expect(body.isNewUser).toBe(true);
  });

  it('answers another browser as if the scene did not exist', async () => {
    const owner = browser(harness.runtime.app);
    const stranger = browser(harness.runtime.app);
    await stranger.get('/api/v1/pub/mp/get-qrcode'); // the stranger has a binding cookie of its own
    const qrcode = await requestQrcode(owner);
    await scanAndConfirm(harness, qrcode, newWechatUser());

    const poll = await stranger.get(`/api/v1/pub/mp/get-scan-result?sceneId=${qrcode.sceneId}`);
    const unknown = await stranger.get(`/api/v1/pub/mp/get-scan-result?sceneId=${'x'.repeat(24)}`);
    expect(poll.status).toBe(404);
    expect(poll.body).toEqual(unknown.body);
    expect(poll.body.error.code).toBe('SCENE_NOT_FOUND');

    const steal = await stranger.post('/api/auth/sign-in-wechat', { sceneId: qrcode.sceneId });
    expect(steal.status).toBe(404);
    expect(([] as string[]).concat(steal.headers['set-cookie'] ?? []).some((c) => c.includes('session_token=') && !c.includes('Max-Age=0'))).toBe(false);
    expect((await owner.post('/api/auth/sign-in-wechat', { sceneId: qrcode.sceneId })).status).toBe(200);
  });

  it('lets exactly one of concurrent sign-ins with one scene succeed', async () => {
    const client = browser(harness.runtime.app);
    const qrcode = await requestQrcode(client);
    await scanAndConfirm(harness, qrcode, newWechatUser());
    const results = await Promise.all(Array.from({ length: 8 }, () => client.post('/api/auth/sign-in-wechat', { sceneId: qrcode.sceneId })));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status !== 200).map((r) => r.body.code)).toEqual(Array(7).fill('SCENE_ALREADY_USED'));
  });

  it('refuses a sign-in before the scan, and after expiry', async () => {
    const client = browser(harness.runtime.app);
    const qrcode = await requestQrcode(client);
    const early = await client.post('/api/auth/sign-in-wechat', { sceneId: qrcode.sceneId });
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('SCENE_NOT_SCANNED');

    await scenes().updateOne({ _id: qrcode.sceneId as never }, { $set: { expiresAt: new Date(Date.now() - 1000) } });
    const poll = await client.get(`/api/v1/pub/mp/get-scan-result?sceneId=${qrcode.sceneId}`);
    expect(poll.status).toBe(410);
    expect(poll.body.error.code).toBe('SCENE_EXPIRED');
    const lateScan = await harness.simulator.phone.push({ fields: scanFields(qrcode.sceneId, newWechatUser().openid) });
    expect(lateScan.body).toBe('success');
    expect((await scenes().findOne({ _id: qrcode.sceneId as never }))?.status).toBe('pending');
  });

  it('keeps a banned WeChat user out', async () => {
    const user = newWechatUser();
    const { body } = await signInByWechat(harness, user);
    await harness.runtime.database.db.collection('user').updateOne({ email: body.user.email }, { $set: { banned: true } });
    await expect(signInByWechat(harness, user)).rejects.toThrow(/403.*BANNED_USER/);
  });

  it('rejects operator-shaped and malformed scene ids with 400', async () => {
    const client = browser(harness.runtime.app);
    await requestQrcode(client);
    for (const query of ['sceneId[$ne]=x', 'sceneId=a&sceneId=b', 'sceneId=%7B%22%24ne%22%3Anull%7D', '', 'sceneId=short']) {
      const res = await client.get(`/api/v1/pub/mp/get-scan-result?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.error.code, query).toBe('INVALID_QUERY');
    }
    const body = await client.post('/api/auth/sign-in-wechat', { sceneId: { $ne: null } });
    expect(body.status).toBe(400);
    const purpose = await client.get('/api/v1/pub/mp/get-qrcode?purpose[$gt]=');
    expect(purpose.status).toBe(200); // an unknown parameter name is ignored; purpose defaults to login
    const badPurpose = await client.get('/api/v1/pub/mp/get-qrcode?purpose=admin');
    expect(badPurpose.status).toBe(400);
  });
});
