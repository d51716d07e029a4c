import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linksInReply } from '../../src/simulator/in-app-browser.js';
import { buildPushEnvelope } from '../../src/simulator/push-envelope.js';
import { signUpByEmail } from '../support/http.js';
import { TEST_BASE_URL } from '../support/test-runtime.js';
import { newWechatUser, scanFields, startWechatHarness, TEST_WECHAT, type WechatHarness } from '../support/wechat-harness.js';
import { decodedBody, exchangeRaw, openRaw, varyOf, type RawRequestOptions } from './raw-exchange.js';

/**
 * Compression on the real app: which of our answers are compressed, and which never are (the hot
 * small answers, the event stream, the webhook's replies to WeChat).
 */
const BROWSER = 'gzip, deflate, br, zstd';
const ADMIN = { username: 'root', password: 'root-password-1' };

let harness: WechatHarness;
const raw = (target: string, options: RawRequestOptions = {}) => exchangeRaw(harness.baseUrl, target, options);

beforeAll(async () => {
  harness = await startWechatHarness({
    mode: 'safe',
    env: { ADMIN_USERNAME: ADMIN.username, ADMIN_PASSWORD: ADMIN.password, WECHAT_MP_CONFIRM_VERIFY_OPENER: 'false' },
  });
});
afterAll(async () => {
  await harness?.close();
});

/** A browser's QR code over real HTTP, with the binding cookie its scan events need. */
async function qrcodeWithCookie() {
  const res = await raw('/api/v1/pub/mp/get-qrcode', { headers: { 'accept-encoding': BROWSER } });
  const cookie = String(res.headers['set-cookie']![0]!.split(';')[0]);
  const { data } = JSON.parse(decodedBody(res).toString()) as { data: { sceneId: string; qrcodeContent: string } };
  return { ...data, cookie, res };
}

async function adminCookie(): Promise<string> {
  const res = await raw('/api/auth/sign-in/username', {
    method: 'POST',
    headers: { origin: TEST_BASE_URL, 'content-type': 'application/json' },
    body: JSON.stringify(ADMIN),
  });
  expect(res.status).toBe(200);
  return (res.headers['set-cookie'] ?? []).map((cookie) => cookie.split(';')[0]).join('; ');
}

describe('compression of what the server sends', () => {
  it('leaves the small hot answers (get-qrcode, get-scan-result) uncompressed, with their length', async () => {
    const qrcode = await qrcodeWithCookie();
    const poll = await raw(`/api/v1/pub/mp/get-scan-result?sceneId=${qrcode.sceneId}`, { headers: { 'accept-encoding': BROWSER, cookie: qrcode.cookie } });
    for (const res of [qrcode.res, poll]) {
      expect(res.status).toBe(200);
      expect(res.headers['content-encoding']).toBeUndefined();
      expect(Number(res.headers['content-length'])).toBe(res.body.length);
    }
    expect(JSON.parse(poll.body.toString())).toMatchObject({ data: { status: 'pending' } });
  });

  it("compresses better-auth's large streamed JSON (the OpenAPI document), and leaves its small answers alone", async () => {
    const plain = await raw('/api/auth/open-api/generate-schema');
    expect(plain.status).toBe(200);
    const document = JSON.parse(plain.body.toString()) as { openapi: string };
    expect(document.openapi).toMatch(/^3\./);
    for (const [accept, coding] of [
      [BROWSER, 'br'],
      ['gzip', 'gzip'],
    ] as const) {
      const res = await raw('/api/auth/open-api/generate-schema', { headers: { 'accept-encoding': accept } });
      expect(res.headers['content-encoding']).toBe(coding);
      expect(varyOf(res)).toContain('accept-encoding');
      expect(res.body.length).toBeLessThan(plain.body.length / 3);
      expect(JSON.parse(decodedBody(res).toString())).toEqual(document);
    }
    const session = await raw('/api/auth/get-session', { headers: { 'accept-encoding': BROWSER, cookie: await adminCookie() } });
    expect(session.status).toBe(200);
    expect(session.headers['content-encoding']).toBeUndefined();
    expect(Number(session.headers['content-length'])).toBe(session.body.length);
    expect(JSON.parse(session.body.toString())).toMatchObject({ user: { username: ADMIN.username } });
  });

  it('compresses the admin users list, to the same JSON', async () => {
    for (let i = 0; i < 8; i += 1) {
      await signUpByEmail(harness.runtime.app, { email: `person${i}-${randomBytes(3).toString('hex')}@example.com`, password: 'password-123', name: `Person ${i}` });
    }
    const cookie = await adminCookie();
    const plain = await raw('/api/v1/admin/users?limit=100', { headers: { cookie } });
    expect(plain.status).toBe(200);
    expect(plain.body.length).toBeGreaterThan(2000);
    const compressed = await raw('/api/v1/admin/users?limit=100', { headers: { cookie, 'accept-encoding': BROWSER } });
    expect(compressed.headers['content-encoding']).toBe('br');
    expect(compressed.body.length).toBeLessThan(plain.body.length / 2);
    expect(JSON.parse(decodedBody(compressed).toString())).toEqual(JSON.parse(plain.body.toString()));
  });

  it('keeps scan events streaming: each event arrives uncompressed while the stream is still open', async () => {
    const qrcode = await qrcodeWithCookie();
    const stream = await openRaw(harness.baseUrl, `/api/v1/pub/mp/scan-events?sceneId=${qrcode.sceneId}`, {
      headers: { cookie: qrcode.cookie, accept: 'text/event-stream', 'accept-encoding': BROWSER },
    });
    try {
      expect(stream.statusCode).toBe(200);
      expect(stream.headers['content-type']).toMatch(/^text\/event-stream/);
      expect(stream.headers['content-encoding']).toBeUndefined();
      stream.setEncoding('utf8');
      const chunks = stream[Symbol.asyncIterator]();
      // The first bytes (the retry hint) come at once: a compressor would still be holding them.
      expect(String((await chunks.next()).value)).toContain('retry: 2000');
      await harness.simulator.phone.scan({ ticketOrUrl: qrcode.qrcodeContent, user: newWechatUser() });
      let received = '';
      while (!received.includes('event: scan')) received += String((await chunks.next()).value);
      expect(received).toContain('"status":"scanned"');
      // Scanned is not settled: the stream stays open for the phone's answer.
      expect(stream.complete).toBe(false);
    } finally {
      stream.destroy();
    }
  });

  it("answers WeChat's pushes and URL checks uncompressed, whatever Accept-Encoding says", async () => {
    const qrcode = await qrcodeWithCookie();
    const envelope = buildPushEnvelope({
      ...TEST_WECHAT,
      mode: 'safe',
      fields: scanFields(qrcode.sceneId, newWechatUser().openid),
      timestamp: String(Math.floor(Date.now() / 1000)),
      nonce: randomBytes(6).toString('hex'),
    });
    const push = await raw(`/api/v1/pub/mp/webhook?${new URLSearchParams(envelope.query).toString()}`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml', 'accept-encoding': BROWSER },
      body: envelope.body,
    });
    expect(push.status).toBe(200);
    expect(push.body.toString()).toMatch(/^<xml><Encrypt><!\[CDATA\[/);
    expect(push.headers['content-encoding']).toBeUndefined();
    expect(varyOf(push)).not.toContain('accept-encoding');

    const verification = buildPushEnvelope({ ...TEST_WECHAT, mode: 'plain', fields: {}, timestamp: String(Math.floor(Date.now() / 1000)), nonce: '4242' });
    const echostr = 'x'.repeat(1500);
    const check = await raw(`/api/v1/pub/mp/webhook?${new URLSearchParams({ ...verification.query, echostr }).toString()}`, { headers: { 'accept-encoding': BROWSER } });
    expect(check.status).toBe(200);
    expect(check.headers['content-encoding']).toBeUndefined();
    expect(check.body.toString()).toBe(echostr);
  });

  it('sends the phone confirmation page compressed, and under 20 kB even uncompressed', async () => {
    const qrcode = await qrcodeWithCookie();
    const push = await harness.simulator.phone.scan({ ticketOrUrl: qrcode.qrcodeContent, user: newWechatUser() });
    const link = new URL(linksInReply(push.reply?.Content ?? '')[0]!.href);
    const page = await raw(`${link.pathname}${link.search}`, { headers: { 'accept-encoding': BROWSER, 'accept-language': 'zh-CN' } });
    expect(page.status).toBe(200);
    const html = decodedBody(page);
    expect(html.toString()).toContain('<form');
    expect(html.length).toBeLessThan(20 * 1024);
    expect(page.headers['content-encoding']).toBe(html.length >= 1024 ? 'br' : undefined);
    expect(page.headers['cache-control']).toBe('no-store');
  });
});
