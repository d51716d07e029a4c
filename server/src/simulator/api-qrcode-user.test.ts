import express from 'express';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createWechatSimulator, type WechatSimulator } from './index.js';
import { startRecordingWebhook, type RecordingWebhook } from './recording-webhook.js';

const APP_ID = 'wx0123456789abcdef';
const APP_SECRET = 'simulated-secret';
const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

let nowMs: number;
let simulator: WechatSimulator;
let app: express.Express;
let webhook: RecordingWebhook;
let accessToken: string;

beforeEach(async () => {
  nowMs = Date.UTC(2025, 0, 1);
  webhook = await startRecordingWebhook();
  simulator = createWechatSimulator({
    appId: APP_ID,
    appSecret: APP_SECRET,
    token: 'webhook-token',
    messageMode: 'plain',
    webhookUrl: webhook.url,
    publicBaseUrl: 'http://sim.test/__wechat-simulator/',
    now: () => nowMs,
  });
  app = express().use(simulator.router);
  const tokenResponse = await request(app).get('/cgi-bin/token').query({ grant_type: 'client_credential', appid: APP_ID, secret: APP_SECRET });
  accessToken = String(tokenResponse.body.access_token);
});

afterEach(async () => {
  await webhook.close();
});

async function createQrcode(body: unknown, token = accessToken): Promise<Record<string, unknown>> {
  const response = await request(app).post('/cgi-bin/qrcode/create').query({ access_token: token }).send(body as object);
  return response.body as Record<string, unknown>;
}

function strScene(sceneStr: string, expireSeconds?: number): Record<string, unknown> {
  return { ...(expireSeconds === undefined ? {} : { expire_seconds: expireSeconds }), action_name: 'QR_STR_SCENE', action_info: { scene: { scene_str: sceneStr } } };
}

describe('POST /cgi-bin/qrcode/create', () => {
  it('creates a temporary code whose url points at the simulator, and remembers it', async () => {
    const created = await createQrcode(strScene('login:abc', 300));
    expect(created).toEqual({ ticket: expect.stringMatching(/^gQ[A-Za-z0-9+/]+=*$/), expire_seconds: 300, url: expect.stringMatching(/^http:\/\/sim\.test\/__wechat-simulator\/q\/[A-Za-z0-9_-]{22}$/) });
    expect(simulator.state.tickets.get(String(created.ticket))).toMatchObject({ sceneStr: 'login:abc', url: created.url, expiresAtMs: nowMs + 300_000 });
    expect(simulator.state.findTicket(String(created.url))?.ticket).toBe(created.ticket);
    expect(simulator.stats.qrcodesCreated).toBe(1);
  });

  it('defaults expire_seconds to 30 and takes numeric QR_SCENE scenes', async () => {
    expect((await createQrcode(strScene('s'))).expire_seconds).toBe(30);
    const numeric = await createQrcode({ action_name: 'QR_SCENE', action_info: { scene: { scene_id: 123 } } });
    expect(simulator.state.tickets.get(String(numeric.ticket))?.sceneStr).toBe('123');
  });

  it('refuses invalid arguments with 40097 and unreadable bodies with 47001', async () => {
    expect((await createQrcode(strScene(''))).errcode).toBe(40097);
    expect((await createQrcode(strScene('x'.repeat(65)))).errcode).toBe(40097);
    expect((await createQrcode(strScene('x'.repeat(64)))).ticket).toEqual(expect.any(String));
    expect((await createQrcode(strScene('s', 2_592_001))).errcode).toBe(40097);
    expect((await createQrcode(strScene('s', 2_592_000))).expire_seconds).toBe(2_592_000);
    expect((await createQrcode({ action_name: 'QR_BOGUS', action_info: { scene: { scene_str: 's' } } })).errcode).toBe(40097);
    const garbage = await request(app).post('/cgi-bin/qrcode/create').query({ access_token: accessToken }).type('text/plain').send('<xml/>');
    expect(garbage.body.errcode).toBe(47001);
    expect(simulator.stats.qrcodesCreated).toBe(2);
  });

  it('checks the access token first', async () => {
    const invalid = await createQrcode(strScene('s'), 'made-up');
    expect(invalid).toEqual({ errcode: 40001, errmsg: expect.stringMatching(/^invalid credential, access_token is invalid or not latest rid: /) });
    nowMs += 7200 * 1000;
    expect((await createQrcode(strScene('s'))).errcode).toBe(42001);
  });
});

describe('GET /cgi-bin/showqrcode', () => {
  it('draws the ticket as a PNG for the URL-encoded ticket, 404 for unknown or expired ones', async () => {
    const { ticket } = await createQrcode(strScene('img', 60));
    const image = await request(app).get(`/cgi-bin/showqrcode?ticket=${encodeURIComponent(String(ticket))}`).buffer(true);
    expect(image.status).toBe(200);
    expect(image.headers['content-type']).toBe('image/png');
    expect(Buffer.from(image.body as Buffer).subarray(0, 8)).toEqual(PNG_MAGIC);
    expect((await request(app).get('/cgi-bin/showqrcode?ticket=gQunknown')).status).toBe(404);
    nowMs += 60_000;
    expect((await request(app).get(`/cgi-bin/showqrcode?ticket=${encodeURIComponent(String(ticket))}`)).status).toBe(404);
  });
});

describe('GET /cgi-bin/user/info', () => {
  async function userInfo(openid: string | undefined, token = accessToken): Promise<Record<string, unknown>> {
    const query = { access_token: token, lang: 'zh_CN', ...(openid === undefined ? {} : { openid }) };
    return (await request(app).get('/cgi-bin/user/info').query(query)).body as Record<string, unknown>;
  }

  it('describes a user who followed by scanning, with a unionid only when they have one', async () => {
    const { ticket } = await createQrcode(strScene('scene-1', 300));
    await simulator.phone.scan({ ticketOrUrl: String(ticket), user: { openid: 'oWithUnionid', unionid: 'oUnion1', subscribed: false } });
    await simulator.phone.scan({ ticketOrUrl: String(ticket), user: { openid: 'oNoUnionid', subscribed: false } });
    expect(await userInfo('oWithUnionid')).toEqual({
      subscribe: 1,
      openid: 'oWithUnionid',
      nickname: '',
      headimgurl: '',
      language: 'zh_CN',
      subscribe_time: Math.floor(nowMs / 1000),
      unionid: 'oUnion1',
      remark: '',
      groupid: 0,
      tagid_list: [],
      subscribe_scene: 'ADD_SCENE_QR_CODE',
      qr_scene: 0,
      qr_scene_str: 'scene-1',
    });
    expect(await userInfo('oNoUnionid')).not.toHaveProperty('unionid');
    expect(simulator.state.users.get('oNoUnionid')?.subscribed).toBe(true);
  });

  it('tells only subscribe=0, openid and unionid once the user has unfollowed', async () => {
    const { ticket } = await createQrcode(strScene('scene-2', 300));
    await simulator.phone.scan({ ticketOrUrl: String(ticket), user: { openid: 'oLeaver', unionid: 'oUnion2', subscribed: false } });
    await simulator.phone.unsubscribe('oLeaver');
    expect(await userInfo('oLeaver')).toEqual({ subscribe: 0, openid: 'oLeaver', unionid: 'oUnion2' });
  });

  it('refuses unknown or missing openids and bad tokens', async () => {
    expect(await userInfo('oStranger')).toEqual({ errcode: 40003, errmsg: expect.stringMatching(/^invalid openid rid: /) });
    expect((await userInfo(undefined)).errcode).toBe(41009);
    expect((await userInfo('oStranger', 'made-up')).errcode).toBe(40001);
    expect(simulator.stats.userInfoCalls).toBe(3);
  });
});
