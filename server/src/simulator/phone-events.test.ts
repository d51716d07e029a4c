import { createHash } from 'node:crypto';
import express from 'express';
import { XMLParser } from 'fast-xml-parser';
import request from 'supertest';
import WXCrypto from 'wechat-crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createWechatSimulator, type MessageMode, type WechatSimulator } from './index.js';
import { startRecordingWebhook, type RecordedPush, type RecordingWebhook } from './recording-webhook.js';

const APP_ID = 'wx0123456789abcdef';
const TOKEN = 'webhook-token';
const AES_KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
const GH_ID = 'gh_simulator00';

let nowMs: number;
let webhook: RecordingWebhook;

beforeEach(async () => {
  nowMs = Date.UTC(2025, 0, 1, 12);
  webhook = await startRecordingWebhook();
});

afterEach(async () => {
  await webhook.close();
});

function simulatorIn(messageMode: MessageMode): WechatSimulator {
  return createWechatSimulator({
    appId: APP_ID,
    appSecret: 'secret',
    token: TOKEN,
    encodingAESKey: AES_KEY,
    messageMode,
    webhookUrl: () => webhook.url,
    publicBaseUrl: 'http://sim.test',
    now: () => nowMs,
  });
}

/** Creates a ticket through the simulator's own API, as our server would. */
async function createTicket(simulator: WechatSimulator, sceneStr: string, expireSeconds = 300): Promise<{ ticket: string; url: string }> {
  const app = express().use(simulator.router);
  const token = await request(app).get('/cgi-bin/token').query({ grant_type: 'client_credential', appid: APP_ID, secret: 'secret' });
  const created = await request(app)
    .post('/cgi-bin/qrcode/create')
    .query({ access_token: String(token.body.access_token) })
    .send({ expire_seconds: expireSeconds, action_name: 'QR_STR_SCENE', action_info: { scene: { scene_str: sceneStr } } });
  return created.body as { ticket: string; url: string };
}

// An independent reading of what arrived: sha1 by hand, fast-xml-parser directly, wechat-crypto to decrypt.
const sha1 = (parts: string[]): string => createHash('sha1').update(parts.sort().join('')).digest('hex');
const xmlParser = new XMLParser({ parseTagValue: false });
function xmlFields(xml: string): Record<string, string> {
  return (xmlParser.parse(xml) as { xml: Record<string, string> }).xml;
}
function decryptPush(push: RecordedPush): { fields: Record<string, string>; appId: string } {
  const { message, id } = new WXCrypto(TOKEN, AES_KEY, APP_ID).decrypt(xmlFields(push.body).Encrypt ?? '');
  return { fields: xmlFields(message), appId: id };
}

describe('phone.scan in plain mode', () => {
  it('pushes subscribe with qrscene_ first, then SCAN, signed like WeChat', async () => {
    const simulator = simulatorIn('plain');
    const { ticket } = await createTicket(simulator, 'login:42');
    const first = await simulator.phone.scan({ ticketOrUrl: ticket, user: { openid: 'oUser1', subscribed: false } });
    const second = await simulator.phone.scan({ ticketOrUrl: ticket, user: { openid: 'oUser1', subscribed: false }, createTimeSeconds: 1_800_000_000 });

    expect(first).toMatchObject({ status: 200, body: 'success', reply: null, attempts: 1 });
    expect(second.fields.Event).toBe('SCAN');
    const [subscribe, scan] = webhook.pushes;
    if (!subscribe || !scan) throw new Error('expected two pushes');
    for (const push of [subscribe, scan]) {
      expect(push.headers['content-type']).toBe('text/xml');
      expect(Object.keys(push.query)).toEqual(['signature', 'timestamp', 'nonce', 'openid']);
      expect(push.query.signature).toBe(sha1([TOKEN, push.query.timestamp ?? '', push.query.nonce ?? '']));
      expect(push.query.openid).toBe('oUser1');
    }
    expect(subscribe.query.timestamp).toBe(String(nowMs / 1000));
    expect(xmlFields(subscribe.body)).toEqual({
      ToUserName: GH_ID,
      FromUserName: 'oUser1',
      CreateTime: String(nowMs / 1000),
      MsgType: 'event',
      Event: 'subscribe',
      EventKey: 'qrscene_login:42',
      Ticket: ticket,
    });
    expect(xmlFields(scan.body)).toMatchObject({ Event: 'SCAN', EventKey: 'login:42', Ticket: ticket, CreateTime: '1800000000' });
    expect(simulator.stats).toMatchObject({ pushesSent: 2, pushesAcknowledged: 2 });
  });

  it('starts with SCAN for a user who already follows', async () => {
    const simulator = simulatorIn('plain');
    const { ticket } = await createTicket(simulator, 'scene');
    const result = await simulator.phone.scan({ ticketOrUrl: ticket, user: { openid: 'oFollower', subscribed: true } });
    expect(result.fields).toMatchObject({ Event: 'SCAN', EventKey: 'scene' });
  });

  it('accepts the url or the /q/ path instead of the ticket', async () => {
    const simulator = simulatorIn('plain');
    const { ticket, url } = await createTicket(simulator, 'by-url');
    await simulator.phone.scan({ ticketOrUrl: url, user: { openid: 'oA', subscribed: false } });
    await simulator.phone.scan({ ticketOrUrl: new URL(url).pathname, user: { openid: 'oB', subscribed: false } });
    expect(webhook.pushes.map((push) => xmlFields(push.body).Ticket)).toEqual([ticket, ticket]);
  });

  it('refuses unknown and expired tickets without pushing anything', async () => {
    const simulator = simulatorIn('plain');
    const { ticket } = await createTicket(simulator, 'short', 60);
    const user = { openid: 'oLate', subscribed: false };
    await expect(simulator.phone.scan({ ticketOrUrl: 'gQnope', user })).rejects.toMatchObject({ code: 'WECHAT_SIMULATOR_TICKET_UNKNOWN' });
    nowMs += 60_000;
    await expect(simulator.phone.scan({ ticketOrUrl: ticket, user })).rejects.toMatchObject({ code: 'WECHAT_SIMULATOR_TICKET_EXPIRED' });
    expect(webhook.pushes).toHaveLength(0);
    expect(simulator.state.users.has('oLate')).toBe(false);
  });
});

describe('phone.scan in safe and compatible mode', () => {
  it('safe: only ToUserName and Encrypt in the body, msg_signature over Encrypt, our appid inside', async () => {
    const simulator = simulatorIn('safe');
    const { ticket } = await createTicket(simulator, 'secret-scene');
    await simulator.phone.scan({ ticketOrUrl: ticket, user: { openid: 'oSafe', subscribed: false } });
    const push = webhook.pushes[0];
    if (!push) throw new Error('no push');
    const { timestamp = '', nonce = '' } = push.query;
    const outer = xmlFields(push.body);
    expect(Object.keys(outer)).toEqual(['ToUserName', 'Encrypt']);
    expect(outer.ToUserName).toBe(GH_ID);
    expect(push.query).toMatchObject({ encrypt_type: 'aes', openid: 'oSafe', signature: sha1([TOKEN, timestamp, nonce]) });
    expect(push.query.msg_signature).toBe(sha1([TOKEN, timestamp, nonce, outer.Encrypt ?? '']));
    const { fields, appId } = decryptPush(push);
    expect(appId).toBe(APP_ID);
    expect(fields).toMatchObject({ FromUserName: 'oSafe', Event: 'subscribe', EventKey: 'qrscene_secret-scene', Ticket: ticket });
  });

  it('compatible: the plain fields and an Encrypt holding the same message', async () => {
    const simulator = simulatorIn('compatible');
    const { ticket } = await createTicket(simulator, 'both');
    await simulator.phone.scan({ ticketOrUrl: ticket, user: { openid: 'oCompat', subscribed: true } });
    const push = webhook.pushes[0];
    if (!push) throw new Error('no push');
    const { Encrypt: encrypt, ...plain } = xmlFields(push.body);
    expect(encrypt).toEqual(expect.any(String));
    expect(push.query.encrypt_type).toBe('aes');
    expect(push.query.msg_signature).toBe(sha1([TOKEN, push.query.timestamp ?? '', push.query.nonce ?? '', encrypt ?? '']));
    expect(decryptPush(push).fields).toEqual(plain);
    expect(plain).toMatchObject({ Event: 'SCAN', EventKey: 'both' });
  });

  it('a per-call mode overrides the account setting', async () => {
    const simulator = simulatorIn('plain');
    const { ticket } = await createTicket(simulator, 'override');
    await simulator.phone.scan({ ticketOrUrl: ticket, user: { openid: 'oX', subscribed: false }, mode: 'safe' });
    expect(webhook.pushes[0]?.query.encrypt_type).toBe('aes');
  });
});

describe('phone.sendText and phone.unsubscribe', () => {
  it('sends a text message with a MsgId, then unfollows; the next scan subscribes again', async () => {
    const simulator = simulatorIn('plain');
    const { ticket } = await createTicket(simulator, 'again');
    await simulator.phone.scan({ ticketOrUrl: ticket, user: { openid: 'oChatty', subscribed: false } });
    await simulator.phone.sendText({ openid: 'oChatty', content: 'hello <]]> world' });
    await simulator.phone.unsubscribe('oChatty');
    await simulator.phone.scan({ ticketOrUrl: ticket, user: { openid: 'oChatty', subscribed: true } });

    const [, text, unsubscribe, resubscribe] = webhook.pushes.map((push) => xmlFields(push.body));
    expect(text).toMatchObject({ MsgType: 'text', Content: 'hello <]]> world', FromUserName: 'oChatty', ToUserName: GH_ID });
    expect(text?.MsgId).toMatch(/^\d{17}$/);
    expect(unsubscribe).toMatchObject({ MsgType: 'event', Event: 'unsubscribe', EventKey: '' });
    expect(resubscribe).toMatchObject({ Event: 'subscribe', EventKey: 'qrscene_again' });
    await simulator.phone.unsubscribe('oChatty');
    await expect(simulator.phone.unsubscribe('oChatty')).rejects.toMatchObject({ code: 'WECHAT_SIMULATOR_NOT_FOLLOWING' });
    await expect(simulator.phone.sendText({ openid: 'oChatty', content: 'hi' })).rejects.toMatchObject({ code: 'WECHAT_SIMULATOR_NOT_FOLLOWING' });
  });
});
