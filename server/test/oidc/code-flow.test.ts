import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as oidc from 'openid-client';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { uniqueDbName } from '../support/test-runtime.js';
import { capturedLog } from '../support/captured-log.js';
import {
  ADMIN, ALL_SCOPES, POST_LOGOUT_URI, REDIRECT_URI, authorize, confidentialClientConfig, createClient, publicClientConfig, redeem, signInByPassword, signUp, startOidcHarness,
  OidcBrowser, type OidcHarness,
} from './oidc-harness.js';

const log = capturedLog('debug');
let harness: OidcHarness;
let admin: OidcBrowser;
let publicClient: { client_id: string };
let confidential: { client_id: string; client_secret?: string };
const PERSON = { email: 'ada@example.com', password: 'correct-horse-1', name: 'Ada Lovelace', username: 'ada' };

beforeAll(async () => {
  harness = await startOidcHarness({ dbName: uniqueDbName('oidc'), logger: log.logger });
  admin = await signInByPassword(harness.baseUrl, ADMIN.username, ADMIN.password);
  publicClient = await createClient(harness, admin, { client_name: 'Shop SPA', token_endpoint_auth_method: 'none' });
  confidential = await createClient(harness, admin, { client_name: 'Back office', token_endpoint_auth_method: 'client_secret_basic' });
  await signUp(harness.baseUrl, PERSON);
}, 120_000);

afterAll(async () => {
  await harness?.close();
});

describe('OIDC discovery', () => {
  it('is served at the issuer, BETTER_AUTH_URL, and says public clients may use PKCE alone', async () => {
    const config = await publicClientConfig(harness.baseUrl, publicClient.client_id);
    const metadata = config.serverMetadata();
    expect(metadata.issuer).toBe(harness.baseUrl);
    expect(metadata.token_endpoint).toBe(`${harness.baseUrl}/api/auth/oauth2/token`);
    expect(metadata.code_challenge_methods_supported).toEqual(['S256']);
    expect(metadata.token_endpoint_auth_methods_supported).toContain('none');
    expect(metadata.scopes_supported).toEqual(expect.arrayContaining(['openid', 'wechat', 'offline_access']));
    expect(metadata.claims_supported).toEqual(expect.arrayContaining(['preferred_username', 'wechat_unionid']));
    // Dynamic registration is off unless OIDC_DYNAMIC_REGISTRATION=true.
    expect(metadata.registration_endpoint).toBeUndefined();
    const oauthMetadata = await fetch(`${harness.baseUrl}/.well-known/oauth-authorization-server`);
    expect(((await oauthMetadata.json()) as { issuer: string }).issuer).toBe(harness.baseUrl);
  });
});

describe('the authorization code flow, driven by openid-client', () => {
  it('signs a person in by password, asks consent once, and issues tokens whose id_token verifies against the JWKS', async () => {
    const config = await publicClientConfig(harness.baseUrl, publicClient.client_id);
    const person = new OidcBrowser(harness.baseUrl);
    const grant = await authorize(config, person, ALL_SCOPES, { password: { username: PERSON.username, password: PERSON.password } });
    const tokens = await redeem(config, grant);
    expect(tokens.refresh_token).toBeTruthy();

    const metadata = config.serverMetadata();
    const { payload } = await jwtVerify(tokens.id_token!, createRemoteJWKSet(new URL(metadata.jwks_uri!)), { issuer: harness.baseUrl, audience: publicClient.client_id });
    expect(payload.nonce).toBe(grant.nonce);
    expect(decodeProtectedHeader(tokens.id_token!).alg).toBe('EdDSA');
    const jwks = (await (await fetch(metadata.jwks_uri!)).json()) as { keys: Array<Record<string, unknown>> };
    expect(jwks.keys.some((key) => 'd' in key)).toBe(false);

    const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, payload.sub!);
    expect(userinfo).toMatchObject({ sub: payload.sub, name: PERSON.name, preferred_username: PERSON.username, email: PERSON.email, email_verified: false });
    // No WeChat account: no WeChat claims, even with the scope.
    expect(userinfo.wechat_openid).toBeUndefined();

    // Consent is remembered: the next authorization goes straight back to the client.
    const again = await authorize(config, person, 'openid profile', { consent: false });
    expect(again.callback.searchParams.get('state')).toBe(again.state);
  });

  it('rotates refresh tokens; a reused one is refused and revokes the newer one of its family', async () => {
    const config = await publicClientConfig(harness.baseUrl, publicClient.client_id);
    const person = await signInByPassword(harness.baseUrl, PERSON.username, PERSON.password);
    const tokens = await redeem(config, await authorize(config, person, 'openid offline_access'));
    const rotated = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
    expect(rotated.refresh_token).toBeTruthy();
    expect(rotated.refresh_token).not.toBe(tokens.refresh_token);
    await expect(oidc.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    await expect(oidc.refreshTokenGrant(config, rotated.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('lets a confidential client revoke its refresh token, after which it no longer refreshes', async () => {
    const config = await confidentialClientConfig(harness.baseUrl, confidential.client_id, confidential.client_secret!);
    const person = await signInByPassword(harness.baseUrl, PERSON.username, PERSON.password);
    const tokens = await redeem(config, await authorize(config, person, 'openid offline_access'));
    await oidc.tokenRevocation(config, tokens.refresh_token!, { token_type_hint: 'refresh_token' });
    await expect(oidc.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('lets a public client revoke an access token: userinfo refuses it afterwards', async () => {
    const config = await publicClientConfig(harness.baseUrl, publicClient.client_id);
    const person = await signInByPassword(harness.baseUrl, PERSON.username, PERSON.password);
    const tokens = await redeem(config, await authorize(config, person, 'openid profile'));
    await oidc.fetchUserInfo(config, tokens.access_token, oidc.skipSubjectCheck);
    await oidc.tokenRevocation(config, tokens.access_token, { token_type_hint: 'access_token' });
    await expect(oidc.fetchUserInfo(config, tokens.access_token, oidc.skipSubjectCheck)).rejects.toThrow();
  });

  it('signs the person out at end-session with an id_token_hint and returns to the registered post-logout URI', async () => {
    const config = await confidentialClientConfig(harness.baseUrl, confidential.client_id, confidential.client_secret!);
    const person = await signInByPassword(harness.baseUrl, PERSON.username, PERSON.password);
    const tokens = await redeem(config, await authorize(config, person, 'openid'));
    const logout = oidc.buildEndSessionUrl(config, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: POST_LOGOUT_URI, state: 'bye' });
    const res = await person.get(logout.href);
    expect(res.status).toBe(302);
    expect(res.location).toBe(`${POST_LOGOUT_URI}?state=bye`);
    const session = await person.get('/api/auth/get-session', { accept: 'application/json' });
    expect(session.json()).toBeNull();
  });
});

describe('what the provider does not give out', () => {
  it('does not serve the jwt plugin\'s session token endpoint', async () => {
    const person = await signInByPassword(harness.baseUrl, PERSON.username, PERSON.password);
    const res = await person.get('/api/auth/token', { accept: 'application/json' });
    expect(res.status).toBe(404);
  });

  it('refuses client creation to a signed-in person who is not an admin', async () => {
    const plain = await signInByPassword(harness.baseUrl, PERSON.username, PERSON.password);
    const res = await plain.post('/api/auth/oauth2/create-client', { redirect_uris: [REDIRECT_URI], token_endpoint_auth_method: 'none' });
    expect(res.status).toBe(401);
    const registered = await plain.post('/api/auth/oauth2/register', { redirect_uris: [REDIRECT_URI], token_endpoint_auth_method: 'none' });
    expect(registered.status).toBeGreaterThanOrEqual(400);
  });

  it('writes no code, token or client secret into the log', async () => {
    const config = await confidentialClientConfig(harness.baseUrl, confidential.client_id, confidential.client_secret!);
    const person = await signInByPassword(harness.baseUrl, PERSON.username, PERSON.password);
    const grant = await authorize(config, person, 'openid offline_access');
    const tokens = await redeem(config, grant);
    await oidc.refreshTokenGrant(config, tokens.refresh_token!).catch(() => undefined);
    const text = log.text();
    for (const secret of [grant.callback.searchParams.get('code')!, tokens.access_token, tokens.refresh_token!, tokens.id_token!, confidential.client_secret!, grant.codeVerifier]) {
      expect(text).not.toContain(secret);
    }
  });
});
