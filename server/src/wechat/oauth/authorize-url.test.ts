import { describe, expect, it } from 'vitest';
import { buildAuthorizeUrl } from './authorize-url.js';

describe('buildAuthorizeUrl', () => {
  it('writes the parameters in the order WeChat checks them, with #wechat_redirect', () => {
    const url = buildAuthorizeUrl({ authorizeBase: 'https://open.weixin.qq.com/', appId: 'wx520c15f417810387', redirectUri: 'https://login.example.com/api/auth/wechat-oauth/callback', scope: 'snsapi_base', state: 'abc123' });
    expect(url).toBe(
      'https://open.weixin.qq.com/connect/oauth2/authorize?appid=wx520c15f417810387&redirect_uri=https%3A%2F%2Flogin.example.com%2Fapi%2Fauth%2Fwechat-oauth%2Fcallback&response_type=code&scope=snsapi_base&state=abc123#wechat_redirect',
    );
  });

  it('keeps the redirect URI\'s own query inside redirect_uri', () => {
    const url = new URL(buildAuthorizeUrl({ authorizeBase: 'http://sim', appId: 'wx1', redirectUri: 'https://a.example/confirm/x?t=a&lang=en', scope: 'snsapi_userinfo', state: 's' }));
    expect(url.searchParams.get('redirect_uri')).toBe('https://a.example/confirm/x?t=a&lang=en');
    expect([...url.searchParams.keys()]).toEqual(['appid', 'redirect_uri', 'response_type', 'scope', 'state']);
  });

  it.each(['', 'a-b', 'a b', 'a&scope=snsapi_userinfo', 'x'.repeat(129)])('refuses a state WeChat would not carry back (%j)', (state) => {
    expect(() => buildAuthorizeUrl({ authorizeBase: 'http://sim', appId: 'wx1', redirectUri: 'https://a', scope: 'snsapi_base', state })).toThrow(RangeError);
  });
});
