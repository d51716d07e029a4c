import { describe, expect, it } from 'vitest';
import { authorizeUrl, isFresh, isSessionFresh, readOAuthRequest } from './oauth-request';

const ISSUED_AT_MS = 1_790_000_000_000;

function signedSearch(extra: Record<string, string> = {}): string {
  const request = { response_type: 'code', client_id: 'shop', redirect_uri: 'https://shop.example.test/cb', scope: 'openid profile', state: 's', ...extra };
  const params = new URLSearchParams(request);
  params.set('exp', String(Math.floor(ISSUED_AT_MS / 1000) + 60));
  params.set('ba_iat', String(ISSUED_AT_MS));
  for (const name of [...Object.keys(request), 'exp', 'ba_iat', 'ba_param'].sort()) params.append('ba_param', name);
  params.set('sig', 'sig-value');
  return `?${params.toString()}`;
}

describe('the authorization request in a page\'s query', () => {
  it('keeps exactly the signed parameters, and the request without the signature\'s own fields', () => {
    const request = readOAuthRequest(`${signedSearch()}&error=WECHAT_OAUTH_CONSENT_REFUSED&utm=x`, ISSUED_AT_MS)!;
    const signed = new URLSearchParams(request.signedQuery);
    expect(signed.get('sig')).toBe('sig-value');
    expect(signed.has('error')).toBe(false);
    expect(signed.has('utm')).toBe(false);
    expect([...request.params.keys()].sort()).toEqual(['client_id', 'redirect_uri', 'response_type', 'scope', 'state']);
    expect(request).toMatchObject({ clientId: 'shop', scopes: ['openid', 'profile'], issuedAtMs: ISSUED_AT_MS, lifetimeMs: 60_000 });
  });

  it('is none without a signature, without signed names or without a client', () => {
    expect(readOAuthRequest('?client_id=shop&scope=openid', ISSUED_AT_MS)).toBeNull();
    expect(readOAuthRequest('?client_id=shop&sig=x', ISSUED_AT_MS)).toBeNull();
    expect(readOAuthRequest('?sig=x&ba_param=scope&scope=openid', ISSUED_AT_MS)).toBeNull();
  });

  it('counts as fresh by the time this page has held it, whatever the clocks say', () => {
    const request = readOAuthRequest(signedSearch(), 5_000)!;
    expect(isFresh(request, 5_000 + 40_000)).toBe(true);
    expect(isFresh(request, 5_000 + 50_000)).toBe(false);
  });

  it('asks /oauth2/authorize with the request only; prompt=login and max_age go only for a session newer than the request', () => {
    const request = readOAuthRequest(signedSearch({ prompt: 'login consent', max_age: '0' }), ISSUED_AT_MS)!;
    const kept = new URL(authorizeUrl(request, { freshSession: false }), 'http://x');
    expect(kept.pathname).toBe('/api/auth/oauth2/authorize');
    expect(kept.searchParams.get('prompt')).toBe('login consent');
    expect(kept.searchParams.has('sig')).toBe(false);
    const fresh = new URL(authorizeUrl(request, { freshSession: true }), 'http://x');
    expect(fresh.searchParams.get('prompt')).toBe('consent');
    expect(fresh.searchParams.has('max_age')).toBe(false);
    expect(isSessionFresh(request, new Date(ISSUED_AT_MS + 1))).toBe(true);
    expect(isSessionFresh(request, new Date(ISSUED_AT_MS - 1))).toBe(false);
    expect(isSessionFresh(request, null)).toBe(false);
  });
});
