import { createHash } from 'node:crypto';
import { XMLParser } from 'fast-xml-parser';
import WXCrypto from 'wechat-crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createWechatSimulator, sha1OfSorted, type MessageMode, type WechatSimulator } from './index.js';
import { startRecordingWebhook, type RecordingWebhook } from './recording-webhook.js';

const APP_ID = 'wx0123456789abcdef';
const TOKEN = 'webhook-token';
const AES_KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
const GH_ID = 'gh_simulator00';
const EVENT = { ToUserName: GH_ID, FromUserName: 'oPusher', CreateTime: '1714037059', MsgType: 'event', Event: 'SCAN', EventKey: 'k' };

let webhook: RecordingWebhook;

beforeEach(async () => {
  webhook = await startRecordingWebhook();
});

afterEach(async () => {
  await webhook.close();
});

function simulatorIn(messageMode: MessageMode, extra: { token?: string; pushTimeoutMs?: number; pushRetries?: number } = {}): WechatSimulator {
  return createWechatSimulator({
    appId: APP_ID,
    appSecret: 'secret',
    token: extra.token ?? TOKEN,
    encodingAESKey: AES_KEY,
    messageMode,
    webhookUrl: () => webhook.url,
    publicBaseUrl: 'http://sim.test',
    ...(extra.pushTimeoutMs === undefined ? {} : { pushTimeoutMs: extra.pushTimeoutMs }),
    ...(extra.pushRetries === undefined ? {} : { pushRetries: extra.pushRetries }),
  });
}

const sha1 = (parts: string[]): string => createHash('sha1').update(parts.sort().join('')).digest('hex');
const xmlParser = new XMLParser({ parseTagValue: false });
const xmlFields = (xml: string): Record<string, string> => (xmlParser.parse(xml) as { xml: Record<string, string> }).xml;

/** A passive reply as a correct webhook writes it in safe mode. */
function encryptedReply(innerXml: string, options: { appId?: string; badSignature?: boolean } = {}): string {
  const encrypt = new WXCrypto(TOKEN, AES_KEY, options.appId ?? APP_ID).encrypt(innerXml);
  const signature = options.badSignature ? '0'.repeat(40) : sha1([TOKEN, '1714040000', '98765', encrypt]);
  return `<xml><Encrypt><![CDATA[${encrypt}]]></Encrypt><MsgSignature><![CDATA[${signature}]]></MsgSignature><TimeStamp>1714040000</TimeStamp><Nonce><![CDATA[98765]]></Nonce></xml>`;
}
const TEXT_REPLY = `<xml><ToUserName><![CDATA[oPusher]]></ToUserName><FromUserName><![CDATA[${GH_ID}]]></FromUserName><CreateTime>1714040000</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[欢迎 & welcome]]></Content></xml>`;

describe('official vectors (wechat-protocol.md)', () => {
  it('signs a plain push with TOKEN AAAAA, timestamp 1714037059, nonce 486452656 as 899cf89e…', async () => {
    const simulator = simulatorIn('plain', { token: 'AAAAA' });
    const result = await simulator.phone.push({ fields: EVENT, timestamp: '1714037059', nonce: '486452656' });
    expect(result.query.signature).toBe('899cf89e464efb63f54ddac96b0a0a235f53aa78');
    expect(webhook.pushes[0]?.query).toMatchObject({ signature: '899cf89e464efb63f54ddac96b0a0a235f53aa78', timestamp: '1714037059', nonce: '486452656' });
  });

  it('computes vector A signature, msg_signature and reply MsgSignature', () => {
    const encrypt =
      '+qdx1OKCy+5JPCBFWw70tm0fJGb2Jmeia4FCB7kao+/Q5c/ohsOzQHi8khUOb05JCpj0JB4RvQMkUyus8TPxLKJGQqcvZqzDpVzazhZv6JsXUnnR8XGT740XgXZUXQ7vJVnAG+tE8NUd4yFyjPy7GgiaviNrlCTj+l5kdfMuFUPpRSrfMZuMcp3Fn2Pede2IuQrKEYwKSqFIZoNqJ4M8EajAsjLY2km32IIjdf8YL/P50F7mStwntrA2cPDrM1kb6mOcfBgRtWygb3VIYnSeOBrebufAlr7F9mFUPAJGj04=';
    expect(sha1OfSorted(['AAAAA', '1714112445', '415670741'])).toBe('6c5c811b55cc85e0e1b54100749188c20beb3f5d');
    expect(sha1OfSorted(['AAAAA', '1714112445', '415670741', encrypt])).toBe('046e02f8204d34f8ba5fa3b1db94908f3df2e9b3');
    const replyEncrypt = 'ELGduP2YcVatjqIS+eZbp80MNLoAUWvzzyJxgGzxZO/5sAvd070Bs6qrLARC9nVHm48Y4hyRbtzve1L32tmxSQ==';
    expect(sha1OfSorted(['AAAAA', '1713424427', '415670741', replyEncrypt])).toBe('1b9339964ed2e271e7c7b6ff2b0ef902fc94dea1');
  });
});

describe('phone.push tampering', () => {
  it('seals another appid inside a validly signed envelope', async () => {
    const simulator = simulatorIn('safe');
    await simulator.phone.push({ fields: EVENT, tamper: { appIdInside: 'wxattacker000000' } });
    const push = webhook.pushes[0];
    const encrypt = xmlFields(push?.body ?? '').Encrypt ?? '';
    expect(push?.query.msg_signature).toBe(sha1([TOKEN, push?.query.timestamp ?? '', push?.query.nonce ?? '', encrypt]));
    expect(new WXCrypto(TOKEN, AES_KEY, APP_ID).decrypt(encrypt).id).toBe('wxattacker000000');
  });

  it('sends the given signature or msg_signature instead of the real one', async () => {
    const simulator = simulatorIn('safe');
    await simulator.phone.push({ fields: EVENT, tamper: { signature: 'f'.repeat(40) } });
    await simulator.phone.push({ fields: EVENT, tamper: { msgSignature: 'e'.repeat(40) } });
    const [badSignature, badMsgSignature] = webhook.pushes;
    expect(badSignature?.query.signature).toBe('f'.repeat(40));
    expect(badSignature?.query.msg_signature).toMatch(/^[0-9a-f]{40}$/);
    expect(badSignature?.query.msg_signature).not.toBe('e'.repeat(40));
    expect(badMsgSignature?.query.msg_signature).toBe('e'.repeat(40));
    expect(badMsgSignature?.query.signature).toBe(sha1([TOKEN, badMsgSignature?.query.timestamp ?? '', badMsgSignature?.query.nonce ?? '']));
  });

  it('sends a stale timestamp with a signature that is valid for it', async () => {
    const simulator = simulatorIn('plain');
    await simulator.phone.push({ fields: EVENT, tamper: { timestamp: '1000000000' } });
    const push = webhook.pushes[0];
    expect(push?.query.timestamp).toBe('1000000000');
    expect(push?.query.signature).toBe(sha1([TOKEN, '1000000000', push?.query.nonce ?? '']));
  });
});

describe('reading the passive reply', () => {
  it('safe mode: verifies MsgSignature, decrypts, checks the appid, parses', async () => {
    const simulator = simulatorIn('safe');
    webhook.respondWith(() => ({ body: encryptedReply(TEXT_REPLY) }));
    const result = await simulator.phone.push({ fields: EVENT });
    expect(result.reply).toEqual({ ToUserName: 'oPusher', FromUserName: GH_ID, CreateTime: '1714040000', MsgType: 'text', Content: '欢迎 & welcome' });
  });

  it('safe mode: refuses a bad MsgSignature, a foreign appid, or a plaintext reply', async () => {
    const simulator = simulatorIn('safe');
    const refusal = { code: 'WECHAT_SIMULATOR_REPLY_REFUSED' };
    webhook.respondWith(() => ({ body: encryptedReply(TEXT_REPLY, { badSignature: true }) }));
    await expect(simulator.phone.push({ fields: EVENT })).rejects.toMatchObject(refusal);
    webhook.respondWith(() => ({ body: encryptedReply(TEXT_REPLY, { appId: 'wxsomeoneelse000' }) }));
    await expect(simulator.phone.push({ fields: EVENT })).rejects.toMatchObject(refusal);
    webhook.respondWith(() => ({ body: TEXT_REPLY }));
    await expect(simulator.phone.push({ fields: EVENT })).rejects.toMatchObject(refusal);
  });

  it('success or an empty body means no reply, in every mode', async () => {
    for (const mode of ['plain', 'compatible', 'safe'] as const) {
      const simulator = simulatorIn(mode);
      webhook.respondWith(() => ({ body: 'success' }));
      expect((await simulator.phone.push({ fields: EVENT })).reply).toBeNull();
      webhook.respondWith(() => ({ body: '' }));
      expect((await simulator.phone.push({ fields: EVENT })).reply).toBeNull();
    }
  });

  it('plain and compatible mode: parse a plaintext reply; refuse what is not XML', async () => {
    for (const mode of ['plain', 'compatible'] as const) {
      const simulator = simulatorIn(mode);
      webhook.respondWith(() => ({ body: TEXT_REPLY }));
      expect((await simulator.phone.push({ fields: EVENT })).reply?.Content).toBe('欢迎 & welcome');
      webhook.respondWith(() => ({ body: '{"ok":true}' }));
      await expect(simulator.phone.push({ fields: EVENT })).rejects.toMatchObject({ code: 'WECHAT_SIMULATOR_REPLY_REFUSED' });
    }
  });

  it('a non-2xx answer is returned as it is, with no reply', async () => {
    const simulator = simulatorIn('plain');
    webhook.respondWith(() => ({ status: 401, body: 'bad signature' }));
    expect(await simulator.phone.push({ fields: EVENT })).toMatchObject({ status: 401, body: 'bad signature', reply: null, attempts: 1 });
    expect(simulator.stats).toMatchObject({ pushesSent: 1, pushesAcknowledged: 0 });
  });
});

describe('delivery like WeChat: timeout and retries', () => {
  it('retries a non-2xx answer with the same CreateTime', async () => {
    const simulator = simulatorIn('plain');
    webhook.respondWith((_push, index) => (index === 0 ? { status: 500 } : { body: 'success' }));
    const result = await simulator.phone.push({ fields: { ...EVENT, CreateTime: '1714000000' }, retries: 2 });
    expect(result).toMatchObject({ status: 200, attempts: 2 });
    expect(webhook.pushes.map((push) => xmlFields(push.body).CreateTime)).toEqual(['1714000000', '1714000000']);
    expect(simulator.stats).toMatchObject({ pushesSent: 2, pushesAcknowledged: 1 });
  });

  it('gives up on a webhook that does not answer in time, then retries (pushRetries)', async () => {
    const simulator = simulatorIn('plain', { pushTimeoutMs: 200, pushRetries: 1 });
    webhook.respondWith((_push, index) => (index === 0 ? { hang: true } : { body: 'success' }));
    expect(await simulator.phone.push({ fields: EVENT })).toMatchObject({ status: 200, attempts: 2 });
  });

  it('without retries, a silent webhook is an error naming the timeout', async () => {
    const simulator = simulatorIn('plain', { pushTimeoutMs: 200 });
    webhook.respondWith(() => ({ hang: true }));
    await expect(simulator.phone.push({ fields: EVENT })).rejects.toMatchObject({
      code: 'WECHAT_SIMULATOR_WEBHOOK_UNREACHABLE',
      message: expect.stringContaining('within 200 ms'),
    });
    expect(webhook.pushes).toHaveLength(1);
  });
});
