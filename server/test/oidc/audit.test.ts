import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as oidc from 'openid-client';
import { uniqueDbName } from '../support/test-runtime.js';
import { auditEvents } from '../audit/audit-support.js';
import {
  ADMIN, REDIRECT_URI, authorize, confidentialClientConfig, createClient, redeem, signInByPassword, signUp, startOidcHarness, tokenRequest,
  OidcBrowser, type OidcHarness,
} from './oidc-harness.js';

let harness: OidcHarness;
let client: { client_id: string; client_secret?: string };
let config: oidc.Configuration;
let userId: string;
const PERSON = { email: 'audit@example.com', password: 'correct-horse-4', name: 'Audited', username: 'audited' };

beforeAll(async () => {
  harness = await startOidcHarness({ dbName: uniqueDbName('oidc') });
  const admin = await signInByPassword(harness.baseUrl, ADMIN.username, ADMIN.password);
  client = await createClient(harness, admin, { token_endpoint_auth_method: 'client_secret_basic' });
  config = await confidentialClientConfig(harness.baseUrl, client.client_id, client.client_secret!);
  userId = (await signUp(harness.baseUrl, PERSON)).userId;
}, 120_000);

afterAll(async () => {
  await harness?.close();
});

describe('the OIDC provider in the audit trail', () => {
  it('records consent, grants, refusals with their OAuth error code, and revocations, never a code, token or secret', async () => {
    const person = new OidcBrowser(harness.baseUrl);
    const grant = await authorize(config, person, 'openid offline_access', { password: { username: PERSON.username, password: PERSON.password } });
    const tokens = await redeem(config, grant);
    await expect(redeem(config, grant)).rejects.toMatchObject({ error: 'invalid_grant' });
    const basic = Buffer.from(`${client.client_id}:wrong-secret`).toString('base64');
    await tokenRequest(harness.baseUrl, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token! }, { authorization: `Basic ${basic}` });
    // The replayed code revoked what it had issued: revoke a fresh grant's refresh token.
    const fresh = await redeem(config, await authorize(config, person, 'openid offline_access'));
    await oidc.tokenRevocation(config, fresh.refresh_token!, { token_type_hint: 'refresh_token' });

    const events = await auditEvents(harness.runtime, { type: /^oidc\./ });
    const summary = events.map((e) => ({ type: e.type, outcome: e.outcome, details: e.details as Record<string, unknown> }));
    expect(summary).toContainEqual({ type: 'oidc.consent-given', outcome: 'success', details: { clientId: client.client_id, scope: 'openid offline_access' } });
    expect(events.find((e) => e.type === 'oidc.consent-given')?.userId).toBe(userId);
    expect(summary).toContainEqual({ type: 'oidc.token-issued', outcome: 'success', details: { grantType: 'authorization_code', clientId: client.client_id } });
    expect(summary).toContainEqual({ type: 'oidc.token-refused', outcome: 'failure', details: { grantType: 'authorization_code', clientId: client.client_id, oauthError: 'invalid_grant' } });
    expect(summary).toContainEqual({ type: 'oidc.token-refused', outcome: 'failure', details: { grantType: 'refresh_token', clientId: client.client_id, oauthError: expect.stringMatching(/^invalid_/) } });
    expect(summary).toContainEqual({ type: 'oidc.token-revoked', outcome: 'success', details: { revoked: 'refresh_token', clientId: client.client_id } });

    const stored = JSON.stringify(events);
    for (const secret of [grant.callback.searchParams.get('code')!, grant.codeVerifier, tokens.access_token, tokens.refresh_token!, fresh.refresh_token!, client.client_secret!, 'wrong-secret']) {
      expect(stored).not.toContain(secret);
    }
  });

  it('records a refused consent as the person\'s', async () => {
    const person = await signInByPassword(harness.baseUrl, PERSON.username, PERSON.password);
    const url = oidc.buildAuthorizationUrl(config, { redirect_uri: REDIRECT_URI, scope: 'openid profile', code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()), code_challenge_method: 'S256' });
    const consentPage = new URL((await person.get(url.href)).location!, harness.baseUrl);
    expect(consentPage.pathname).toBe('/oauth/consent');
    await person.post('/api/auth/oauth2/consent', { accept: false, oauth_query: consentPage.search.slice(1) });
    const denied = await auditEvents(harness.runtime, { type: 'oidc.consent-denied' });
    expect(denied.map((e) => ({ userId: e.userId, clientId: (e.details as { clientId?: string }).clientId }))).toEqual([{ userId, clientId: client.client_id }]);
  });
});
