import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { errcode, failureOf, fakeWechat, json } from '../../../test/support/fake-wechat-api.js';
import { WechatApiError, wechatTimeoutError } from './errors.js';
import {
  DEFAULT_WECHAT_TIMEOUT_MS,
  createWechatTransport,
  parseWechatAnswer,
  sendWechatRequest,
  type FetchFunction,
  type WechatCallFailure,
  type WechatRequest,
  type WechatTransportOptions,
} from './transport.js';

const API_BASE = 'http://wechat.test/sim';
const USER_INFO: WechatRequest = { api: '/cgi-bin/user/info', method: 'GET', query: { access_token: 'token-1', openid: 'openid-1' } };
const FOLLOWER = { subscribe: 1, openid: 'openid-1' };

function send(fetch: FetchFunction, overrides: Partial<WechatTransportOptions> = {}) {
  return sendWechatRequest(createWechatTransport({ apiBase: API_BASE, fetch, timeoutMs: 200, retryDelayMs: 1, ...overrides }), USER_INFO);
}

describe('timeouts, network errors and retries', () => {
  it('says WeChat did not answer within 5 s by default', () => {
    expect(DEFAULT_WECHAT_TIMEOUT_MS).toBe(5000);
    expect(wechatTimeoutError(5000, '/cgi-bin/token').message).toBe('WeChat did not answer within 5 s');
  });

  it('gives up after timeoutMs even when fetch ignores the abort signal, without retrying', async () => {
    const wechat = fakeWechat(() => new Promise<Response>(() => undefined));
    const error = await failureOf(send(wechat.fetch, { timeoutMs: 50 }));
    expect(error).toMatchObject({ status: 504, code: 'WECHAT_TIMEOUT', message: 'WeChat did not answer within 0.05 s' });
    expect(wechat.calls).toHaveLength(1);
  });

  it('retries network failures at most maxRetries times, then WECHAT_UNREACHABLE', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:443'), { code: 'ECONNREFUSED' });
    const wechat = fakeWechat(() => Promise.reject(new TypeError('fetch failed', { cause: refused })));
    const error = await failureOf(send(wechat.fetch, { maxRetries: 2 }));
    expect(error).toMatchObject({ status: 502, code: 'WECHAT_UNREACHABLE' });
    expect(error.message).toContain('wechat.test');
    expect(error.message).toContain('ECONNREFUSED');
    expect(wechat.calls).toHaveLength(3);
  });

  it('retries WeChat busy (-1) and succeeds when it recovers', async () => {
    const wechat = fakeWechat(errcode(-1), json(FOLLOWER));
    await expect(send(wechat.fetch)).resolves.toEqual(FOLLOWER);
    expect(wechat.calls).toHaveLength(2);
  });

  it('bounds retries of WeChat busy (-1): 502 WECHAT_BUSY', async () => {
    const wechat = fakeWechat(errcode(-1, 'system error'));
    expect(await failureOf(send(wechat.fetch, { maxRetries: 3 }))).toMatchObject({ status: 502, code: 'WECHAT_BUSY' });
    expect(wechat.calls).toHaveLength(4);
  });

  it('does not retry at all with maxRetries 0', async () => {
    const wechat = fakeWechat(errcode(-1));
    await failureOf(send(wechat.fetch, { maxRetries: 0 }));
    expect(wechat.calls).toHaveLength(1);
  });

  it('sends the query in the URL under the base path, and a body as JSON', async () => {
    const wechat = fakeWechat(json({}));
    const transport = createWechatTransport({ apiBase: `${API_BASE}/`, fetch: wechat.fetch });
    await sendWechatRequest(transport, { api: '/cgi-bin/qrcode/create', method: 'POST', query: { access_token: 'a&b=c' }, body: { x: 1 } });
    expect(wechat.calls[0]?.url.href).toBe('http://wechat.test/sim/cgi-bin/qrcode/create?access_token=a%26b%3Dc');
    expect(wechat.calls[0]).toMatchObject({ method: 'POST', body: { x: 1 } });
  });
});

describe('WeChat errors as our errors, never retried', () => {
  it.each([
    [45009, 'daily'],
    [45011, 'per-minute'],
  ])('maps quota error %i to 503 WECHAT_QUOTA_EXCEEDED with retryAfterSeconds', async (code, period) => {
    const wechat = fakeWechat(errcode(code, 'reach max api daily quota limit rid: 1'));
    const error = await failureOf(send(wechat.fetch));
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
    const error = await failureOf(send(wechat.fetch));
    expect(error).toBeInstanceOf(WechatApiError);
    expect(error).toMatchObject({ code: 'WECHAT_IP_NOT_WHITELISTED', errcode: 40164, errmsg });
    expect(error.message).toContain('203.0.113.7');
    expect(error.message).toContain('IP whitelist');
    expect(error.details).toMatchObject({ callerIp: '203.0.113.7', errmsg });
    expect(wechat.calls).toHaveLength(1);
  });

  it.each([40013, 40125, 40243])('maps %i to WECHAT_CONFIG_INVALID naming the variables', async (code) => {
    const error = await failureOf(send(fakeWechat(errcode(code)).fetch));
    expect(error).toMatchObject({ status: 500, code: 'WECHAT_CONFIG_INVALID' });
    expect(error.message).toContain('WECHAT_MP_APPID / WECHAT_MP_SECRET');
  });

  it('says a verified Service Account is needed on 48001', async () => {
    const error = await failureOf(send(fakeWechat(errcode(48001)).fetch));
    expect(error.code).toBe('WECHAT_API_UNAUTHORIZED');
    expect(error.message).toContain('verified Service Account');
  });

  it('keeps an unknown errcode and its whole errmsg', async () => {
    const errmsg = 'something new hint: [abc] rid: 6650f1a2-0d1e-7c3b';
    const error = await failureOf(send(fakeWechat(errcode(99999, errmsg)).fetch));
    expect(error).toMatchObject({ status: 502, code: 'WECHAT_API_ERROR', details: { errcode: 99999, errmsg } });
  });

  it.each([
    ['an HTTP error', () => new Response('oops', { status: 500 })],
    ['a body that is not JSON', () => new Response('<html>', { status: 200 })],
  ])('refuses %s with 502 WECHAT_BAD_RESPONSE', async (_label, answer) => {
    const error = await failureOf(send(fakeWechat(answer).fetch));
    expect(error).toMatchObject({ status: 502, code: 'WECHAT_BAD_RESPONSE' });
  });

  it('refuses JSON without the expected fields with 502 WECHAT_BAD_RESPONSE', async () => {
    const answer = await send(fakeWechat(json({ hello: 'world' })).fetch);
    const schema = z.object({ openid: z.string() });
    expect(() => parseWechatAnswer(schema, answer, USER_INFO.api)).toThrow(expect.objectContaining({ status: 502, code: 'WECHAT_BAD_RESPONSE' }));
    expect(parseWechatAnswer(schema, { openid: 'o1', extra: true }, USER_INFO.api)).toEqual({ openid: 'o1' });
  });
});

describe('calls that finally failed', () => {
  function reported(overrides: Partial<WechatTransportOptions> = {}) {
    const failures: WechatCallFailure[] = [];
    return { failures, options: { ...overrides, onCallFailed: (failure: WechatCallFailure) => failures.push(failure) } };
  }

  it('are reported once, after the retries, with the path and codes but not the URL or its token', async () => {
    const { failures, options } = reported({ maxRetries: 2 });
    await failureOf(send(fakeWechat(errcode(-1), errcode(-1), errcode(45009)).fetch, options));
    expect(failures).toEqual([{ api: '/cgi-bin/user/info', code: 'WECHAT_QUOTA_EXCEEDED', errcode: 45009 }]);
    expect(JSON.stringify(failures)).not.toContain('token-1');
  });

  it('carry a null errcode when WeChat never answered', async () => {
    const { failures, options } = reported({ maxRetries: 1 });
    await failureOf(send(fakeWechat(() => Promise.reject(new TypeError('fetch failed'))).fetch, options));
    expect(failures).toEqual([{ api: '/cgi-bin/user/info', code: 'WECHAT_UNREACHABLE', errcode: null }]);
  });

  it('are not reported when a retry succeeds', async () => {
    const { failures, options } = reported();
    await send(fakeWechat(errcode(-1), json(FOLLOWER)).fetch, options);
    expect(failures).toEqual([]);
  });
});

describe('against a real local HTTP server', () => {
  let server: Server;
  let base: string;
  const tokenRequest: WechatRequest = { api: '/cgi-bin/token', method: 'GET' };

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

  it('reads an answer with the platform fetch', async () => {
    expect(await sendWechatRequest(createWechatTransport({ apiBase: base }), tokenRequest)).toEqual({ access_token: 'real-1', expires_in: 7200 });
  });

  it('aborts a server that never answers', async () => {
    const error = await failureOf(sendWechatRequest(createWechatTransport({ apiBase: `${base}/slow`, timeoutMs: 100 }), tokenRequest));
    expect(error).toMatchObject({ status: 504, code: 'WECHAT_TIMEOUT' });
  });

  it('reports a closed port as WECHAT_UNREACHABLE', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const transport = createWechatTransport({ apiBase: `http://127.0.0.1:${port}`, maxRetries: 1, retryDelayMs: 1 });
    const error = await failureOf(sendWechatRequest(transport, tokenRequest));
    expect(error).toMatchObject({ status: 502, code: 'WECHAT_UNREACHABLE', details: { reason: 'ECONNREFUSED' } });
  });
});
