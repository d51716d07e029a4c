import { describe, expect, it } from 'vitest';
import { oauthRedirectsFor, ownPagePath } from './oauth-redirects';

describe('where a one-tap sign-in comes back to', () => {
  it('defaults to the page itself, for success and failure alike', () => {
    expect(oauthRedirectsFor({}, { pathname: '/shop', search: '?item=3' })).toEqual({ callbackURL: '/shop?item=3', errorCallbackURL: '/shop?item=3' });
  });

  it('takes what the page set, and a separate page for new users only when set', () => {
    expect(oauthRedirectsFor({ callbackUrl: '/a', newUserCallbackUrl: '/b', errorCallbackUrl: '/c' }, { pathname: '/shop', search: '' })).toEqual({
      callbackURL: '/a',
      newUserCallbackURL: '/b',
      errorCallbackURL: '/c',
    });
  });

  it('drops the error an earlier attempt brought back, keeping the rest of the query', () => {
    expect(ownPagePath({ pathname: '/shop', search: '?error=WECHAT_OAUTH_FAILED&item=3' })).toBe('/shop?item=3');
    expect(ownPagePath({ pathname: '/shop', search: '?error=X' })).toBe('/shop');
  });

  it('never hands the server "//host", which would be another site', () => {
    expect(ownPagePath({ pathname: '//evil.example/x', search: '' })).toBe('/evil.example/x');
  });
});
