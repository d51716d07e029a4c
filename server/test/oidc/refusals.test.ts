import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as oidc from 'openid-client';
import { uniqueDbName } from '../support/test-runtime.js';
import {
  ADMIN, REDIRECT_URI, authorize, confidentialClientConfig, createClient, publicClientConfig, redeem, signInByPassword, signUp, startOidcHarness, tokenRequest,
  type OidcBrowser, type OidcHarness,
} from './oidc-harness.js';

let harness: OidcHarness;
let person: OidcBrowser;
let publicClient: { client_id: string };
let confidential: { client_id: string; client_secret?: string };
const PERSON = { email: 'grace@example.com', password: 'correct-horse-2', name: 'Grace Hopper', username: 'grace' };

beforeAll(async () => {
  harness = await startOidcHarness({ dbName: uniqueDbName('oidc') });
  const admin = await signInByPassword(harness.baseUrl, ADMIN.username, ADMIN.password);
  publicClient = await createClient(harness, admin, { token_endpoint_auth_method: 'none' });
  confidential = await createClient(harness, admin, { token_endpoint_auth_method: 'client_secret_basic' });
  await signUp(harness.baseUrl, PERSON);
  person = await signInByPassword(harness.baseUrl, PERSON.username, PERSON.password);
}, 120_000);

afterAll(async () => {
  await harness?.close();
});

function authorizeUrl(params: Record<string, string>): string {
  return `/api/auth/oauth2/authorize?${new URLSearchParams({ response_type: 'code', scope: 'openid', state: 's1', ...params }).toString()}`;
}

/** Where an authorization refusal sends the browser: the error in the client's redirect, or an error answer of ours. */
function refusalOf(res: { status: number; location: string | undefined; text: string }): { to: string; error: string | null } {
  if (res.location) {
    const url = new URL(res.location, harness.baseUrl);
    return { to: `${url.origin}${url.pathname}`, error: url.searchParams.get('error') };
  }
  return { to: 'here', error: res.status >= 400 ? 'refused' : null };
}

describe('authorization requests the provider refuses', () => {
  it('requires PKCE from a public client', async () => {
    const res = await person.get(authorizeUrl({ client_id: publicClient.client_id, redirect_uri: REDIRECT_URI }));
    expect(refusalOf(res)).toEqual({ to: REDIRECT_URI, error: 'invalid_request' });
  });

  it('accepts S256 only, not the plain method', async () => {
    const res = await person.get(authorizeUrl({ client_id: publicClient.client_id, redirect_uri: REDIRECT_URI, code_challenge: 'x'.repeat(43), code_challenge_method: 'plain' }));
    expect(refusalOf(res)).toEqual({ to: REDIRECT_URI, error: 'invalid_request' });
  });

  it('never redirects to a URI that is not registered exactly (no prefix, no extra path)', async () => {
    for (const redirect of [`${REDIRECT_URI}/evil`, `${REDIRECT_URI}?x=1`, 'https://evil.example.net/callback']) {
      const res = await person.get(authorizeUrl({ client_id: publicClient.client_id, redirect_uri: redirect, code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256' }));
      expect(res.location === undefined || !new URL(res.location, harness.baseUrl).href.startsWith(redirect)).toBe(true);
      expect(res.location ?? '').not.toContain('evil');
    }
  });

  it('refuses an unknown client without redirecting anywhere', async () => {
    const res = await person.get(authorizeUrl({ client_id: 'no-such-client', redirect_uri: REDIRECT_URI, code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256' }));
    expect(res.location === undefined || !res.location.startsWith(REDIRECT_URI)).toBe(true);
  });
});

describe('token requests the provider refuses, with standard OAuth error bodies', () => {
  it('refuses a wrong client secret with invalid_client', async () => {
    const config = await confidentialClientConfig(harness.baseUrl, confidential.client_id, confidential.client_secret!);
    const grant = await authorize(config, person, 'openid');
    const basic = Buffer.from(`${confidential.client_id}:wrong-secret`).toString('base64');
    const res = await tokenRequest(harness.baseUrl, { grant_type: 'authorization_code', code: grant.callback.searchParams.get('code')!, redirect_uri: REDIRECT_URI, code_verifier: grant.codeVerifier }, { authorization: `Basic ${basic}` });
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('invalid_client');
  });

  it('refuses an unknown client: with invalid_client where it authenticates, invalid_grant for a code or token not its own', async () => {
    const basic = Buffer.from('no-such-client:some-secret').toString('base64');
    const revoke = await fetch(`${harness.baseUrl}/api/auth/oauth2/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', authorization: `Basic ${basic}` },
      body: new URLSearchParams({ token: 'whatever' }).toString(),
    });
    expect({ status: revoke.status, error: ((await revoke.json()) as { error?: string }).error }).toEqual({ status: 401, error: 'invalid_client' });
    // The token endpoint looks the code or token up before the client.
    const refresh = await tokenRequest(harness.baseUrl, { grant_type: 'refresh_token', refresh_token: 'whatever' }, { authorization: `Basic ${basic}` });
    expect({ status: refresh.status, error: refresh.body.error }).toEqual({ status: 400, error: 'invalid_grant' });
    // A real code presented by an unknown client is not that client's.
    const config = await publicClientConfig(harness.baseUrl, publicClient.client_id);
    const grant = await authorize(config, person, 'openid');
    const res = await tokenRequest(harness.baseUrl, { grant_type: 'authorization_code', code: grant.callback.searchParams.get('code')!, redirect_uri: REDIRECT_URI, client_id: 'no-such-client', code_verifier: grant.codeVerifier });
    expect({ status: res.status, error: res.body.error }).toEqual({ status: 400, error: 'invalid_grant' });
  });

  // RFC 7636 §4.6: invalid_grant (the plugin's own answer, 401 invalid_request, is rewritten). The code is spent.
  it('refuses a wrong PKCE verifier with invalid_grant, and the code is spent', async () => {
    const config = await publicClientConfig(harness.baseUrl, publicClient.client_id);
    const grant = await authorize(config, person, 'openid');
    const code = grant.callback.searchParams.get('code')!;
    const wrong = await tokenRequest(harness.baseUrl, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, client_id: publicClient.client_id, code_verifier: oidc.randomPKCECodeVerifier() });
    expect({ status: wrong.status, error: wrong.body.error, error_description: wrong.body.error_description }).toEqual({ status: 400, error: 'invalid_grant', error_description: 'code verification failed' });
    const right = await tokenRequest(harness.baseUrl, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, client_id: publicClient.client_id, code_verifier: grant.codeVerifier });
    expect(right.body.error).toBe('invalid_grant');
  });

  it('refuses a reused code with invalid_grant, and revokes what the first redemption issued', async () => {
    const config = await publicClientConfig(harness.baseUrl, publicClient.client_id);
    const grant = await authorize(config, person, 'openid profile');
    const tokens = await redeem(config, grant);
    await expect(redeem(config, grant)).rejects.toMatchObject({ error: 'invalid_grant' });
    await expect(oidc.fetchUserInfo(config, tokens.access_token, oidc.skipSubjectCheck)).rejects.toThrow();
  });

  it('refuses a redirect_uri at the token endpoint other than the one authorized', async () => {
    const config = await publicClientConfig(harness.baseUrl, publicClient.client_id);
    const grant = await authorize(config, person, 'openid');
    const res = await tokenRequest(harness.baseUrl, { grant_type: 'authorization_code', code: grant.callback.searchParams.get('code')!, redirect_uri: `${REDIRECT_URI}/other`, client_id: publicClient.client_id, code_verifier: grant.codeVerifier });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_grant');
  });

  it('refuses the client_credentials grant: every token here speaks for a person', async () => {
    const basic = Buffer.from(`${confidential.client_id}:${confidential.client_secret}`).toString('base64');
    const res = await tokenRequest(harness.baseUrl, { grant_type: 'client_credentials', scope: 'openid' }, { authorization: `Basic ${basic}` });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(/unsupported_grant_type|invalid_grant|unauthorized_client|invalid_request/);
  });
});
