import { describe, expect, it } from 'vitest';
import { errcode, failureOf, fakeWechat, json, logCapture } from '../../../test/support/fake-wechat-api.js';
import { fetchAccessToken } from './access-token.js';
import { createWechatApiClient, type WechatApiClientOptions } from './client.js';
import type { AccessTokenProvider } from './token-provider.js';
import type { FetchFunction } from './transport.js';

const SECRET = 'app-secret-do-not-log';
const API_BASE = 'http://wechat.test/sim';

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

function clientWith(fetch: FetchFunction, overrides: Partial<WechatApiClientOptions> = {}) {
  const tokens = countingTokenProvider();
  const logs = logCapture();
  const client = createWechatApiClient({
    apiBase: API_BASE, appId: 'wx123', appSecret: SECRET, tokenProvider: tokens.provider,
    fetch, timeoutMs: 200, retryDelayMs: 1, logger: logs.logger, ...overrides,
  });
  return { client, tokens, logs };
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

  it('refuses an answer without the fields it reads with 502 WECHAT_BAD_RESPONSE', async () => {
    const { client } = clientWith(fakeWechat(json({ hello: 'world' })).fetch);
    expect(await failureOf(client.createTemporaryQrcode({ sceneStr: 's', expireSeconds: 60 }))).toMatchObject({ status: 502, code: 'WECHAT_BAD_RESPONSE' });
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

describe('wiring the token store', () => {
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
