import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../errors.js';
import { createWechatApiClient, fetchAccessToken, type FetchFunction, type WechatApiClientOptions } from './api-client.js';
import { WechatApiError, wechatTimeoutError } from './api-errors.js';
import type { AccessTokenProvider } from './token-provider.js';

const SECRET = 'app-secret-do-not-log';
const API_BASE = 'http://wechat.test/sim';

interface RecordedCall {
  url: URL;
  method: string;
  body: unknown;
}

/** A fake WeChat: answers each call with the next handler result (the last one repeats). */
function fakeWechat(...answers: Array<(call: RecordedCall) => Response | Promise<Response>>) {
  const calls: RecordedCall[] = [];
  const fetch: FetchFunction = async (url, init) => {
    const call = { url, method: init.method ?? 'GET', body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined };
    calls.push(call);
    const answer = answers[Math.min(calls.length - 1, answers.length - 1)];
    if (answer === undefined) throw new Error('no answer configured');
    return answer(call);
  };
  return { fetch, calls };
}

const json = (value: unknown, status = 200) => () => new Response(JSON.stringify(value), { status });
const errcode = (code: number, errmsg = `error ${code} rid: 6650f1a2-0d1e`) => json({ errcode: code, errmsg });
const QR_ANSWER = { ticket: 'gQH47joAAAAAAAAAASxodHRw+/==', expire_seconds: 300, url: 'http://weixin.qq.com/q/kZgfwMTm72WWPkovabbI' };

/** A token store stand-in that hands out token-1, token-2, ... and records invalidations. */
function countingTokenProvider() {
  let issued = 1;
  const invalidated: string[] = [];
  const provider: AccessTokenProvider = {
    getAccessToken: async () => `token-${issued}`,
    invalidate: async (staleToken) => {
      invalidated.push(staleToken);
      if (staleToken === `token-${issued}`) issued += 1;
    },
  };
  return { provider, invalidated };
}

function logCapture() {
  const lines: string[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => lines.push(line) });
  return { logger, lines };
}

function clientWith(fetch: FetchFunction, overrides: Partial<WechatApiClientOptions> = {}) {
  const tokens = countingTokenProvider();
  const logs = logCapture();
  const client = createWechatApiClient({
    apiBase: API_BASE, appId: 'wx123', appSecret: SECRET, tokenProvider: tokens.provider,
    fetch, timeoutMs: 200, retryDelayMs: 1, logger: logs.logger, ...overrides,
  });
  return { client, tokens, logs };
}

async function failureOf(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(() => null, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe('createTemporaryQrcode', () => {
  it('asks for a QR_STR_SCENE code with the token and builds the showqrcode URL', async () => {
    const wechat = fakeWechat(json(QR_ANSWER));
    const { client } = clientWith(wechat.fetch);
    const qrcode = await client.createTemporaryQrcode({ sceneStr: 'scene-1', expireSeconds: 300 });
    expect(qrcode).toEqual({
      ticket: QR_ANSWER.ticket,
      expireSeconds: 300,
      url: QR_ANSWER.url,
      qrcodeUrl: `https://mp.weixin.qq.com/cgi-bin/showqrcode?ticket=${encodeURIComponent(QR_ANSWER.ticket)}`,
    });
    expect(qrcode.qrcodeUrl).toContain('ticket=gQH47joAAAAAAAAAASxodHRw%2B%2F%3D%3D');
    const [call] = wechat.calls;
    expect(call?.method).toBe('POST');
    expect(call?.url.pathname).toBe('/sim/cgi-bin/qrcode/create');
    expect(call?.url.searchParams.get('access_token')).toBe('token-1');
    expect(call?.body).toEqual({ expire_seconds: 300, action_name: 'QR_STR_SCENE', action_info: { scene: { scene_str: 'scene-1' } } });
  });

  it('uses a configured showqrcode base (the simulator serves its own)', async () => {
    const { client } = clientWith(fakeWechat(json(QR_ANSWER)).fetch, { showQrcodeBase: 'http://127.0.0.1:4000/cgi-bin/showqrcode' });
    const { qrcodeUrl } = await client.createTemporaryQrcode({ sceneStr: 's', expireSeconds: 60 });
    expect(qrcodeUrl).toBe(`http://127.0.0.1:4000/cgi-bin/showqrcode?ticket=${encodeURIComponent(QR_ANSWER.ticket)}`);
  });

  it('refuses scene strings and lifetimes WeChat would refuse, without calling it', async () => {
    const wechat = fakeWechat(json(QR_ANSWER));
    const { client } = clientWith(wechat.fetch);
    await expect(client.createTemporaryQrcode({ sceneStr: '', expireSeconds: 60 })).rejects.toThrow(RangeError);
    await expect(client.createTemporaryQrcode({ sceneStr: 'x'.repeat(65), expireSeconds: 60 })).rejects.toThrow(RangeError);
    await expect(client.createTemporaryQrcode({ sceneStr: 'x', expireSeconds: 2_592_001 })).rejects.toThrow(RangeError);
    expect(wechat.calls).toHaveLength(0);
  });
});

describe('access token refused', () => {
  it.each([40001, 40014, 42001])('on %i drops the token and retries once with a fresh one', async (code) => {
    const wechat = fakeWechat(errcode(code), json(QR_ANSWER));
    const { client, tokens } = clientWith(wechat.fetch);
    await expect(client.createTemporaryQrcode({ sceneStr: 's', expireSeconds: 60 })).resolves.toMatchObject({ ticket: QR_ANSWER.ticket });
    expect(tokens.invalidated).toEqual(['token-1']);
    expect(wechat.calls.map((call) => call.url.searchParams.get('access_token'))).toEqual(['token-1', 'token-2']);
  });

  it('retries only once: a second refusal is WECHAT_TOKEN_INVALID', async () => {
    const wechat = fakeWechat(errcode(40001));
    const { client, tokens } = clientWith(wechat.fetch);
    const error = await failureOf(client.getUserInfo('openid-1'));
    expect(error).toMatchObject({ status: 502, code: 'WECHAT_TOKEN_INVALID', errcode: 40001 });
    expect(wechat.calls).toHaveLength(2);
    expect(tokens.invalidated).toEqual(['token-1']);
  });
});

describe('timeouts, network errors and retries', () => {
  it('says WeChat did not answer within 5 s by default', () => {
    expect(wechatTimeoutError(5000, '/cgi-bin/token').message).toBe('WeChat did not answer within 5 s');
  });

  it('gives up after timeoutMs even when fetch ignores the abort signal, without retrying', async () => {
    const wechat = fakeWechat(() => new Promise<Response>(() => undefined));
    const { client } = clientWith(wechat.fetch, { timeoutMs: 50 });
    const error = await failureOf(client.createTemporaryQrcode({ sceneStr: 's', expireSeconds: 60 }));
    expect(error).toMatchObject({ status: 504, code: 'WECHAT_TIMEOUT', message: 'WeChat did not answer within 0.05 s' });
    expect(wechat.calls).toHaveLength(1);
  });

  it('retries network failures at most maxRetries times, then WECHAT_UNREACHABLE', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:443'), { code: 'ECONNREFUSED' });
    const wechat = fakeWechat(() => Promise.reject(new TypeError('fetch failed', { cause: refused })));
    const { client } = clientWith(wechat.fetch, { maxRetries: 2 });
    const error = await failureOf(client.getUserInfo('openid-1'));
    expect(error).toMatchObject({ status: 502, code: 'WECHAT_UNREACHABLE' });
    expect(error.message).toContain('wechat.test');
    expect(error.message).toContain('ECONNREFUSED');
    expect(wechat.calls).toHaveLength(3);
  });

  it('retries WeChat busy (-1) and succeeds when it recovers', async () => {
    const wechat = fakeWechat(errcode(-1), json(QR_ANSWER));
    const { client } = clientWith(wechat.fetch);
    await expect(client.createTemporaryQrcode({ sceneStr: 's', expireSeconds: 60 })).resolves.toMatchObject({ expireSeconds: 300 });
    expect(wechat.calls).toHaveLength(2);
  });

  it('bounds retries of WeChat busy (-1): 502 WECHAT_BUSY', async () => {
    const wechat = fakeWechat(errcode(-1, 'system error'));
    const { client } = clientWith(wechat.fetch, { maxRetries: 3 });
    expect(await failureOf(client.getUserInfo('openid-1'))).toMatchObject({ status: 502, code: 'WECHAT_BUSY' });
    expect(wechat.calls).toHaveLength(4);
  });

  it('does not retry at all with maxRetries 0', async () => {
    const wechat = fakeWechat(errcode(-1));
    const { client } = clientWith(wechat.fetch, { maxRetries: 0 });
    await failureOf(client.getUserInfo('openid-1'));
    expect(wechat.calls).toHaveLength(1);
  });
});

describe('WeChat errors as our errors, never retried', () => {
  it.each([
    [45009, 'daily'],
    [45011, 'per-minute'],
  ])('maps quota error %i to 503 WECHAT_QUOTA_EXCEEDED with retryAfterSeconds', async (code, period) => {
    const wechat = fakeWechat(errcode(code, 'reach max api daily quota limit rid: 1'));
    const error = await failureOf(clientWith(wechat.fetch).client.createTemporaryQrcode({ sceneStr: 's', expireSeconds: 60 }));
    expect(error).toMatchObject({ status: 503, code: 'WECHAT_QUOTA_EXCEEDED' });
    expect(error.message).toContain(period);
    const retryAfterSeconds = error.details?.retryAfterSeconds;
    expect(retryAfterSeconds).toBeTypeOf('number');
    expect(retryAfterSeconds).toBeGreaterThanOrEqual(60);
    expect(retryAfterSeconds).toBeLessThanOrEqual(code === 45011 ? 60 : 86_400);
    expect(wechat.calls).toHaveLength(1);
  });

  it('names the IP to add to the whitelist, and where', async () => {
    const errmsg = 'invalid ip 203.0.113.7 ipv6 ::ffff:203.0.113.7, not in whitelist rid: 6650f1a2-0d1e';
    const wechat = fakeWechat(errcode(40164, errmsg));
    const error = await failureOf(clientWith(wechat.fetch).client.getUserInfo('openid-1'));
    expect(error).toBeInstanceOf(WechatApiError);
    expect(error).toMatchObject({ code: 'WECHAT_IP_NOT_WHITELISTED', errcode: 40164, errmsg });
    expect(error.message).toContain('203.0.113.7');
    expect(error.message).toContain('IP whitelist');
    expect(error.details).toMatchObject({ callerIp: '203.0.113.7', errmsg });
    expect(wechat.calls).toHaveLength(1);
  });

  it.each([40013, 40125, 40243])('maps %i to WECHAT_CONFIG_INVALID naming the variables', async (code) => {
    const error = await failureOf(clientWith(fakeWechat(errcode(code)).fetch).client.getUserInfo('openid-1'));
    expect(error).toMatchObject({ status: 500, code: 'WECHAT_CONFIG_INVALID' });
    expect(error.message).toContain('WECHAT_MP_APPID / WECHAT_MP_SECRET');
  });

  it('says a verified Service Account is needed on 48001', async () => {
    const error = await failureOf(clientWith(fakeWechat(errcode(48001)).fetch).client.createTemporaryQrcode({ sceneStr: 's', expireSeconds: 60 }));
    expect(error.code).toBe('WECHAT_API_UNAUTHORIZED');
    expect(error.message).toContain('verified Service Account');
  });

  it('keeps an unknown errcode and its whole errmsg', async () => {
    const errmsg = 'something new hint: [abc] rid: 6650f1a2-0d1e-7c3b';
    const error = await failureOf(clientWith(fakeWechat(errcode(99999, errmsg)).fetch).client.getUserInfo('openid-1'));
    expect(error).toMatchObject({ status: 502, code: 'WECHAT_API_ERROR', details: { errcode: 99999, errmsg } });
  });

  it.each([
    ['an HTTP error', () => new Response('oops', { status: 500 })],
    ['a body that is not JSON', () => new Response('<html>', { status: 200 })],
    ['JSON without the expected fields', json({ hello: 'world' })],
  ])('refuses %s with 502 WECHAT_BAD_RESPONSE', async (_label, answer) => {
    const error = await failureOf(clientWith(fakeWechat(answer).fetch).client.createTemporaryQrcode({ sceneStr: 's', expireSeconds: 60 }));
    expect(error).toMatchObject({ status: 502, code: 'WECHAT_BAD_RESPONSE' });
  });
});

describe('getUserInfo', () => {
  it('reads a follower with a unionid', async () => {
    const wechat = fakeWechat(json({ subscribe: 1, openid: 'o1', subscribe_time: 1714112445, unionid: 'u1', subscribe_scene: 'ADD_SCENE_QR_CODE', qr_scene_str: 's', nickname: '' }));
    expect(await clientWith(wechat.fetch).client.getUserInfo('o1')).toEqual({
      openid: 'o1', unionid: 'u1', subscribed: true, subscribeTimeSeconds: 1714112445, subscribeScene: 'ADD_SCENE_QR_CODE', qrSceneStr: 's',
    });
    expect(Object.fromEntries(wechat.calls[0]?.url.searchParams ?? [])).toEqual({ access_token: 'token-1', openid: 'o1', lang: 'zh_CN' });
  });

  it('reads a non-follower without unionid', async () => {
    const info = await clientWith(fakeWechat(json({ subscribe: 0, openid: 'o2' })).fetch).client.getUserInfo('o2');
    expect(info).toMatchObject({ openid: 'o2', unionid: null, subscribed: false, subscribeTimeSeconds: null });
  });
});

describe('fetchAccessToken', () => {
  const options = { apiBase: API_BASE, appId: 'wx123', appSecret: SECRET, retryDelayMs: 1 };

  it('prefers /cgi-bin/stable_token without force_refresh', async () => {
    const wechat = fakeWechat(json({ access_token: 'stable-1', expires_in: 7200 }));
    expect(await fetchAccessToken({ ...options, fetch: wechat.fetch })).toEqual({ accessToken: 'stable-1', expiresInSeconds: 7200 });
    expect(wechat.calls[0]).toMatchObject({ method: 'POST', body: { grant_type: 'client_credential', appid: 'wx123', secret: SECRET, force_refresh: false } });
    expect(wechat.calls[0]?.url.pathname).toBe('/sim/cgi-bin/stable_token');
  });

  it.each([
    ['HTTP 404', () => new Response('not found', { status: 404 })],
    ['errcode 40066 (invalid url)', errcode(40066)],
  ])('falls back to /cgi-bin/token on %s', async (_label, missing) => {
    const wechat = fakeWechat(missing, json({ access_token: 'classic-1', expires_in: 7200 }));
    expect(await fetchAccessToken({ ...options, fetch: wechat.fetch })).toEqual({ accessToken: 'classic-1', expiresInSeconds: 7200 });
    expect(wechat.calls[1]?.method).toBe('GET');
    expect(wechat.calls[1]?.url.pathname).toBe('/sim/cgi-bin/token');
    expect(Object.fromEntries(wechat.calls[1]?.url.searchParams ?? [])).toEqual({ grant_type: 'client_credential', appid: 'wx123', secret: SECRET });
  });

  it('does not fall back on a configuration error', async () => {
    const wechat = fakeWechat(errcode(40125, 'invalid appsecret'));
    expect(await failureOf(fetchAccessToken({ ...options, fetch: wechat.fetch }))).toMatchObject({ code: 'WECHAT_CONFIG_INVALID' });
    expect(wechat.calls).toHaveLength(1);
  });

  it('is also reachable through the client, with its settings', async () => {
    const wechat = fakeWechat(json({ access_token: 'stable-2', expires_in: 7000 }));
    expect(await clientWith(wechat.fetch).client.fetchAccessToken()).toEqual({ accessToken: 'stable-2', expiresInSeconds: 7000 });
  });
});

describe('logging', () => {
  it('logs failures with the [WeChat MP] prefix, never the token or the secret', async () => {
    const { client, logs } = clientWith(fakeWechat(errcode(40001), errcode(-1), errcode(45009)).fetch);
    await failureOf(client.getUserInfo('openid-1'));
    const wechat = fakeWechat(errcode(40164, 'invalid ip 203.0.113.7, not in whitelist'));
    const logged = logCapture();
    await failureOf(fetchAccessToken({ apiBase: API_BASE, appId: 'wx123', appSecret: SECRET, fetch: wechat.fetch, logger: logged.logger }));
    const output = [...logs.lines, ...logged.lines].join('\n');
    expect(output).toContain('[WeChat MP]');
    expect(output).toContain('45009');
    expect(output).not.toMatch(/token-\d/);
    expect(output).not.toContain(SECRET);
  });
});

describe('against a real local HTTP server', () => {
  let server: Server;
  let base: string;

  beforeAll(async () => {
    server = createServer((request, response) => {
      if (request.url?.startsWith('/slow')) return; // never answers
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ access_token: 'real-1', expires_in: 7200 }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('fetches a token with the platform fetch', async () => {
    expect(await fetchAccessToken({ apiBase: base, appId: 'wx', appSecret: 's' })).toEqual({ accessToken: 'real-1', expiresInSeconds: 7200 });
  });

  it('aborts a server that never answers', async () => {
    const error = await failureOf(fetchAccessToken({ apiBase: `${base}/slow`, appId: 'wx', appSecret: 's', timeoutMs: 100 }));
    expect(error).toMatchObject({ status: 504, code: 'WECHAT_TIMEOUT' });
  });

  it('reports a closed port as WECHAT_UNREACHABLE', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = await failureOf(fetchAccessToken({ apiBase: `http://127.0.0.1:${port}`, appId: 'wx', appSecret: 's', maxRetries: 1, retryDelayMs: 1 }));
    expect(error).toMatchObject({ status: 502, code: 'WECHAT_UNREACHABLE', details: { reason: 'ECONNREFUSED' } });
  });
});
