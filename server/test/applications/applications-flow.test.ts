import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as oidc from 'openid-client';
import { uniqueDbName } from '../support/test-runtime.js';
import { capturedLog } from '../support/captured-log.js';
import {
  ADMIN, REDIRECT_URI, authorize, confidentialClientConfig, publicClientConfig, redeem, signInByPassword, signUp, startOidcHarness, tokenRequest,
  type OidcBrowser, type OidcHarness,
} from '../oidc/oidc-harness.js';
import { adminCall, APPLICATIONS, registerApplication } from './admin-api.js';

const log = capturedLog('debug');
let harness: OidcHarness;
let admin: OidcBrowser;
let people = 0;

beforeAll(async () => {
  harness = await startOidcHarness({ dbName: uniqueDbName('apps'), logger: log.logger });
  admin = await signInByPassword(harness.baseUrl, ADMIN.username, ADMIN.password);
}, 120_000);

afterAll(async () => {
  await harness?.close();
});

/** A new person, signed in: consent is asked once per person and app. */
async function newPerson(): Promise<OidcBrowser> {
  people += 1;
  const person = { email: `p${people}@example.com`, password: 'correct-horse-3', name: `Person ${people}`, username: `person${people}` };
  await signUp(harness.baseUrl, person);
  return signInByPassword(harness.baseUrl, person.username, person.password);
}

function basic(clientId: string, secret: string): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString('base64')}` };
}

function authorizeUrl(clientId: string, redirectUri: string): string {
  const params = { response_type: 'code', client_id: clientId, redirect_uri: redirectUri, scope: 'openid', state: 's1', code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256' };
  return `/api/auth/oauth2/authorize?${new URLSearchParams(params).toString()}`;
}

/** Where the provider sent the browser: the error it names, or the page it went on to. */
function outcomeOf(res: { location: string | undefined }): { error: string | null; path: string } {
  const url = new URL(res.location ?? '/', harness.baseUrl);
  return { error: url.searchParams.get('error'), path: `${url.origin === harness.baseUrl ? '' : url.origin}${url.pathname}` };
}

describe('an application registered through the admin API, used by openid-client', () => {
  it('redeems a code with the secret shown at registration; after a rotation the old secret is invalid_client and the new one works', async () => {
    const { application, clientSecret } = await registerApplication(harness.baseUrl, admin, { name: 'Back office', type: 'confidential' });
    const config = await confidentialClientConfig(harness.baseUrl, application.clientId, clientSecret!);
    const tokens = await redeem(config, await authorize(config, await newPerson(), 'openid offline_access'));
    expect(tokens.id_token).toBeTruthy();
    expect(tokens.refresh_token).toBeTruthy();

    const rotated = await adminCall<{ data: { clientSecret: string } }>(harness.baseUrl, admin, 'POST', `${APPLICATIONS}/${application.clientId}/rotate-secret`);
    expect(rotated.status).toBe(200);
    expect(rotated.headers.get('cache-control')).toBe('no-store');
    const newSecret = rotated.body.data.clientSecret;
    expect(newSecret).toMatch(/^[A-Za-z]{32}$/);
    expect(newSecret).not.toBe(clientSecret);

    const withOld = await tokenRequest(harness.baseUrl, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token! }, basic(application.clientId, clientSecret!));
    expect({ status: withOld.status, error: withOld.body.error }).toEqual({ status: 401, error: 'invalid_client' });
    const refreshed = await oidc.refreshTokenGrant(await confidentialClientConfig(harness.baseUrl, application.clientId, newSecret), tokens.refresh_token!);
    expect(refreshed.access_token).toBeTruthy();
    // The old config (old secret) cannot redeem a fresh code either: openid-client gets the 401 challenge.
    await expect(redeem(config, await authorize(config, await newPerson(), 'openid'))).rejects.toMatchObject({ status: 401 });
    expect(log.text()).not.toContain(newSecret);
    expect(log.text()).not.toContain(clientSecret!);
  });

  it('a public application has no secret, is refused without PKCE, and signs in with it', async () => {
    const { application, clientSecret } = await registerApplication(harness.baseUrl, admin, { name: 'Shop SPA', type: 'public' });
    expect(clientSecret).toBeNull();
    const person = await newPerson();
    const withoutPkce = await person.get(`/api/auth/oauth2/authorize?${new URLSearchParams({ response_type: 'code', client_id: application.clientId, redirect_uri: REDIRECT_URI, scope: 'openid', state: 's' }).toString()}`);
    expect(outcomeOf(withoutPkce)).toEqual({ error: 'invalid_request', path: REDIRECT_URI });
    const config = await publicClientConfig(harness.baseUrl, application.clientId);
    // A secret made up by the caller does not turn it confidential: a good code with it is refused.
    const first = await authorize(config, person, 'openid profile');
    const invented = await tokenRequest(
      harness.baseUrl,
      { grant_type: 'authorization_code', code: first.callback.searchParams.get('code')!, redirect_uri: REDIRECT_URI, code_verifier: first.codeVerifier },
      basic(application.clientId, 'made-up'),
    );
    expect({ status: invented.status, error: invented.body.error }).toEqual({ status: 401, error: 'invalid_client' });
    const tokens = await redeem(config, await authorize(config, person, 'openid profile'));
    expect(tokens.id_token).toBeTruthy();
  });

  it('lets a confidential application without PKCE in only when an admin turned PKCE off for it (libraries without PKCE)', async () => {
    const person = await newPerson();
    const noPkce = (clientId: string) =>
      person.get(`/api/auth/oauth2/authorize?${new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: REDIRECT_URI, scope: 'openid', state: 's2', nonce: 'n2' }).toString()}`);
    const strict = await registerApplication(harness.baseUrl, admin, { name: 'Strict back end', type: 'confidential' });
    expect(outcomeOf(await noPkce(strict.application.clientId))).toEqual({ error: 'invalid_request', path: REDIRECT_URI });

    const legacy = await registerApplication(harness.baseUrl, admin, { name: 'Legacy back end', type: 'confidential', secretAuthMethod: 'client_secret_post', requirePkce: false, firstParty: true });
    expect(legacy.application).toMatchObject({ requirePkce: false, tokenEndpointAuthMethod: 'client_secret_post' });
    // First-party, so no consent page: straight back to the app with a code.
    const answer = await noPkce(legacy.application.clientId);
    expect(outcomeOf(answer)).toEqual({ error: null, path: REDIRECT_URI });
    const code = new URL(answer.location!).searchParams.get('code');
    expect(code).toBeTruthy();
    const tokens = await tokenRequest(harness.baseUrl, { grant_type: 'authorization_code', code: code!, redirect_uri: REDIRECT_URI, client_id: legacy.application.clientId, client_secret: legacy.clientSecret! });
    expect(tokens.status).toBe(200);
    expect(tokens.body.id_token).toBeTruthy();
  });

  it('skips consent for a first-party application, and asks for a third-party one until an admin marks it first-party', async () => {
    const firstParty = await registerApplication(harness.baseUrl, admin, { name: 'Our shop', type: 'public', firstParty: true });
    const config = await publicClientConfig(harness.baseUrl, firstParty.application.clientId);
    const grant = await authorize(config, await newPerson(), 'openid profile', { consent: false });
    expect((await redeem(config, grant)).id_token).toBeTruthy();

    const thirdParty = await registerApplication(harness.baseUrl, admin, { name: 'Partner', type: 'public' });
    const partner = await publicClientConfig(harness.baseUrl, thirdParty.application.clientId);
    await expect(authorize(partner, await newPerson(), 'openid', { consent: false })).rejects.toThrow(/consent was asked/);
    const patched = await adminCall(harness.baseUrl, admin, 'PATCH', `${APPLICATIONS}/${thirdParty.application.clientId}`, { firstParty: true });
    expect(patched.status).toBe(200);
    expect((await redeem(partner, await authorize(partner, await newPerson(), 'openid', { consent: false }))).id_token).toBeTruthy();
  });

  it('after the redirect URIs change, authorize refuses the old one and accepts the new one, compared exactly', async () => {
    const other = 'https://rp.example.test/other';
    const { application } = await registerApplication(harness.baseUrl, admin, { name: 'Moving app', type: 'public', redirectUris: [REDIRECT_URI] });
    const person = await newPerson();
    expect(outcomeOf(await person.get(authorizeUrl(application.clientId, REDIRECT_URI))).path).toBe('/oauth/consent');

    const patched = await adminCall(harness.baseUrl, admin, 'PATCH', `${APPLICATIONS}/${application.clientId}`, { redirectUris: [other] });
    expect(patched.status).toBe(200);
    expect(outcomeOf(await person.get(authorizeUrl(application.clientId, REDIRECT_URI)))).toEqual({ error: 'invalid_redirect', path: '/api/auth/error' });
    for (const near of [`${other}/`, `${other}?x=1`, 'https://rp.example.test/OTHER', 'https://RP.example.test:443/other/../other2']) {
      expect(outcomeOf(await person.get(authorizeUrl(application.clientId, near))).error, near).toBe('invalid_redirect');
    }
    expect(outcomeOf(await person.get(authorizeUrl(application.clientId, other))).path).toBe('/oauth/consent');
  });

  it('after a delete, its refresh tokens, access tokens and authorize are all refused', async () => {
    const { application, clientSecret } = await registerApplication(harness.baseUrl, admin, { name: 'Doomed', type: 'confidential' });
    const config = await confidentialClientConfig(harness.baseUrl, application.clientId, clientSecret!);
    const person = await newPerson();
    const tokens = await redeem(config, await authorize(config, person, 'openid offline_access'));
    const userinfoBefore = await fetch(`${harness.baseUrl}/api/auth/oauth2/userinfo`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(userinfoBefore.status).toBe(200);

    const deleted = await adminCall(harness.baseUrl, admin, 'DELETE', `${APPLICATIONS}/${application.clientId}`);
    expect(deleted.status).toBe(200);

    // The refresh token went with the client: unknown now, so invalid_grant (the provider checks the token before the client).
    const refresh = await tokenRequest(harness.baseUrl, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token! }, basic(application.clientId, clientSecret!));
    expect({ status: refresh.status, error: refresh.body.error }).toEqual({ status: 400, error: 'invalid_grant' });
    const userinfo = await fetch(`${harness.baseUrl}/api/auth/oauth2/userinfo`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(userinfo.status).toBe(401);
    expect(outcomeOf(await person.get(authorizeUrl(application.clientId, REDIRECT_URI))).error).toBe('invalid_client');
    const db = harness.runtime.database.db;
    for (const collection of ['oauthAccessToken', 'oauthRefreshToken', 'oauthConsent']) {
      expect(await db.collection(collection).countDocuments({ clientId: application.clientId }), collection).toBe(0);
    }
  });

  it('shows the application\'s recent authorizations and refused token requests from the audit trail, and no other app\'s', async () => {
    const { application, clientSecret } = await registerApplication(harness.baseUrl, admin, { name: 'Watched', type: 'confidential' });
    const bystander = await registerApplication(harness.baseUrl, admin, { name: 'Bystander', type: 'confidential' });
    const config = await confidentialClientConfig(harness.baseUrl, application.clientId, clientSecret!);
    await redeem(config, await authorize(config, await newPerson(), 'openid'));
    // A forged code: refused (invalid_grant) before the wrong secret is even looked at.
    const wrong = await tokenRequest(harness.baseUrl, { grant_type: 'authorization_code', code: 'forged', redirect_uri: REDIRECT_URI, code_verifier: 'v'.repeat(43) }, basic(application.clientId, 'wrong-secret'));
    expect(wrong.body.error).toBe('invalid_grant');
    await tokenRequest(harness.baseUrl, { grant_type: 'authorization_code', code: 'forged', redirect_uri: REDIRECT_URI, code_verifier: 'v'.repeat(43) }, basic(bystander.application.clientId, 'wrong'));

    type Activity = { authorizations: Array<{ type: string; userName: string | null; details: Record<string, unknown> }>; failures: Array<{ type: string; details: Record<string, unknown> }> };
    const res = await adminCall<{ data: Activity }>(harness.baseUrl, admin, 'GET', `${APPLICATIONS}/${application.clientId}/activity`);
    expect(res.status).toBe(200);
    const { authorizations, failures } = res.body.data;
    expect(authorizations.map((event) => event.type).sort()).toEqual(['oidc.consent-given', 'oidc.token-issued']);
    const consentBy = authorizations.find((event) => event.type === 'oidc.consent-given')?.userName;
    expect(consentBy).toMatch(/^Person \d+$/);
    // The tokens are the same person's: read from the id_token the provider issued.
    expect(authorizations.find((event) => event.type === 'oidc.token-issued')?.userName).toBe(consentBy);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ type: 'oidc.token-refused', details: { clientId: application.clientId, oauthError: 'invalid_grant' } });
    expect(res.text).not.toContain(clientSecret!);
    expect(res.text).not.toContain('wrong-secret');

    const person = await newPerson();
    const forbidden = await adminCall(harness.baseUrl, person, 'GET', `${APPLICATIONS}/${application.clientId}/activity`);
    expect(forbidden.status).toBe(403);
    const unknown = await adminCall(harness.baseUrl, admin, 'GET', `${APPLICATIONS}/nope/activity`);
    expect(unknown.status).toBe(404);
  });
});
