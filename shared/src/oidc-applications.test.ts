import { describe, expect, it } from 'vitest';
import { applicationKindOf, CreateApplicationSchema, redirectUriProblem, UpdateApplicationSchema } from './oidc-applications.js';

describe('redirect URIs an admin may register', () => {
  it.each([
    'https://shop.example.com/callback',
    'https://shop.example.com:8443/auth/callback?tenant=1',
    'http://localhost:3001/callback',
    'http://127.0.0.1/cb',
    'http://[::1]:8080/cb',
    'com.example.shop:/oauth2redirect',
  ])('accepts %s', (uri) => {
    expect(redirectUriProblem(uri)).toBeNull();
  });

  it.each([
    ['https://*.example.com/cb', /wildcard/],
    ['https://shop.example.com/*', /wildcard/],
    ['https://shop.example.com/cb#', /fragment/],
    ['javascript:alert(1)', /app scheme/],
    ['JAVASCRIPT://x/%0aalert(1)', /app scheme/],
    ['data:text/html,hi', /app scheme/],
    ['file:///etc/passwd', /app scheme/],
    ['myapp://callback', /app scheme/],
    ['/callback', /absolute/],
    ['shop.example.com/callback', /absolute/],
    ['http://shop.example.com/cb', /https/],
    ['http://localhost.evil.example/cb', /https/],
    ['http://127.0.0.1.nip.io/cb', /https/],
    ['https://localhost/cb', /localhost/],
    ['https://a:b@shop.example.com/cb', /password/],
    ['https://shop.example.com/c b', /spaces/],
    [`https://shop.example.com/${'a'.repeat(2000)}`, /at most/],
  ])('refuses %s', (uri, why) => {
    expect(redirectUriProblem(uri)).toMatch(why);
  });

  it('calls an application native when one of its redirect URIs is loopback http or an app scheme', () => {
    expect(applicationKindOf(['https://a.example/cb'])).toBe('web');
    expect(applicationKindOf(['https://a.example/cb', 'http://localhost:3001/cb'])).toBe('native');
    expect(applicationKindOf(['com.example.app:/cb'])).toBe('native');
  });
});

describe('the registration body', () => {
  const valid = { name: 'Shop', type: 'public', redirectUris: ['https://a.example/cb'], scopes: ['openid'] };

  it('fills the defaults and trims the name', () => {
    expect(CreateApplicationSchema.parse({ ...valid, name: '  Shop  ' })).toEqual({
      ...valid, logoUrl: '', postLogoutRedirectUris: [], firstParty: false, requirePkce: true, secretAuthMethod: 'client_secret_basic',
    });
  });

  it('refuses unknown fields, a public app without PKCE and an update with nothing in it', () => {
    expect(CreateApplicationSchema.safeParse({ ...valid, clientSecret: 'mine' }).success).toBe(false);
    expect(CreateApplicationSchema.safeParse({ ...valid, requirePkce: false }).success).toBe(false);
    expect(CreateApplicationSchema.safeParse({ ...valid, type: 'confidential', requirePkce: false }).success).toBe(true);
    expect(UpdateApplicationSchema.safeParse({}).success).toBe(false);
    expect(UpdateApplicationSchema.safeParse({ type: 'confidential' }).success).toBe(false);
    expect(UpdateApplicationSchema.safeParse({ firstParty: true }).success).toBe(true);
  });
});
