import { describe, expect, it } from 'vitest';
import { errcode, failureOf, fakeWechat, json } from '../../../test/support/fake-wechat-api.js';
import { fetchAccessToken } from './access-token.js';

const SECRET = 'app-secret-do-not-log';
const API_BASE = 'http://wechat.test/sim';

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

  it('refuses a grant without a token or a lifetime with 502 WECHAT_BAD_RESPONSE', async () => {
    const wechat = fakeWechat(json({ access_token: '', expires_in: 7200 }));
    expect(await failureOf(fetchAccessToken({ ...options, fetch: wechat.fetch }))).toMatchObject({ status: 502, code: 'WECHAT_BAD_RESPONSE' });
  });
});
