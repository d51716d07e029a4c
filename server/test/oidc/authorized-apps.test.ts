import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as oidc from 'openid-client';
import type { AuthorizedApp } from '@wechat-login/shared';
import { uniqueDbName } from '../support/test-runtime.js';
import { auditEvents } from '../audit/audit-support.js';
import { ADMIN, authorize, createClient, publicClientConfig, redeem, signInByPassword, signUp, startOidcHarness, type OidcBrowser, type OidcHarness } from './oidc-harness.js';

/**
 * The account page's "authorized apps": what a person allowed, and revoking it. Revocation must end
 * the app's access for real (refresh refused, access token refused, consent asked again), only ever
 * for the person who asks, and only from our own pages.
 */

let harness: OidcHarness;
let shop: oidc.Configuration;
let blog: oidc.Configuration;
let shopId: string;

beforeAll(async () => {
  harness = await startOidcHarness({ dbName: uniqueDbName('oidc') });
  const admin = await signInByPassword(harness.baseUrl, ADMIN.username, ADMIN.password);
  const shopClient = await createClient(harness, admin, { client_name: 'Shop', token_endpoint_auth_method: 'none', logo_uri: 'https://shop.example.test/logo.png', client_uri: 'https://shop.example.test' });
  // A logo on plain http is registered, but never handed to the page.
  const blogClient = await createClient(harness, admin, { client_name: 'Blog', token_endpoint_auth_method: 'none', logo_uri: 'http://blog.example.test/logo.png' });
  shopId = shopClient.client_id;
  shop = await publicClientConfig(harness.baseUrl, shopClient.client_id);
  blog = await publicClientConfig(harness.baseUrl, blogClient.client_id);
}, 120_000);

afterAll(async () => {
  await harness?.close();
});

let people = 0;
async function newPerson(): Promise<{ browser: OidcBrowser; userId: string }> {
  people += 1;
  return signUp(harness.baseUrl, { email: `person${people}-${Date.now()}@example.com`, password: 'correct-horse-9', name: `Person ${people}` });
}

/** A call from our own pages (the account page's fetch), or from `origin` when given. */
async function call(browser: OidcBrowser, method: 'GET' | 'DELETE', path: string, origin: string | null = harness.baseUrl) {
  const res = await fetch(`${harness.baseUrl}${path}`, {
    method,
    headers: { cookie: browser.cookieHeader(), accept: 'application/json', ...(origin ? { origin } : {}) },
  });
  return { status: res.status, body: (await res.json()) as { success: boolean; data?: unknown; error?: { code: string } } };
}

async function listApps(browser: OidcBrowser): Promise<AuthorizedApp[]> {
  const res = await call(browser, 'GET', '/api/v1/me/authorized-apps');
  expect(res.status).toBe(200);
  return (res.body.data as { items: AuthorizedApp[] }).items;
}

async function revoke(browser: OidcBrowser, clientId: string, origin?: string | null) {
  return call(browser, 'DELETE', `/api/v1/me/authorized-apps/${encodeURIComponent(clientId)}`, origin);
}

describe('GET /api/v1/me/authorized-apps', () => {
  it('lists the apps the person allowed, with the scopes they allowed and https logos only', async () => {
    const { browser } = await newPerson();
    expect(await listApps(browser)).toEqual([]);
    await redeem(shop, await authorize(shop, browser, 'openid profile offline_access'));
    await redeem(blog, await authorize(blog, browser, 'openid'));
    const apps = await listApps(browser);
    expect(apps.map((app) => app.name).sort()).toEqual(['Blog', 'Shop']);
    const shopApp = apps.find((app) => app.clientId === shopId)!;
    expect(shopApp).toMatchObject({ name: 'Shop', logoUrl: 'https://shop.example.test/logo.png', homeUrl: 'https://shop.example.test', scopes: ['openid', 'profile', 'offline_access'] });
    expect(new Date(shopApp.authorizedAt).getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(apps.find((app) => app.name === 'Blog')!.logoUrl).toBeNull();
  });

  it('shows nobody else\'s apps, and nothing without a session', async () => {
    const first = await newPerson();
    await redeem(shop, await authorize(shop, first.browser, 'openid'));
    const second = await newPerson();
    expect(await listApps(second.browser)).toEqual([]);
    const anonymous = await fetch(`${harness.baseUrl}/api/v1/me/authorized-apps`, { headers: { accept: 'application/json' } });
    expect(anonymous.status).toBe(401);
  });
});

describe('DELETE /api/v1/me/authorized-apps/:clientId', () => {
  it('forgets the consent and ends the app\'s tokens: refresh refused, access token refused, consent asked again', async () => {
    const { browser, userId } = await newPerson();
    const grant = await authorize(shop, browser, 'openid profile offline_access');
    const tokens = await redeem(shop, grant);
    await oidc.fetchUserInfo(shop, tokens.access_token, tokens.claims()!.sub);

    const res = await revoke(browser, shopId);
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ clientId: shopId, consents: 1, accessTokens: 1, refreshTokens: 1 });

    await expect(oidc.refreshTokenGrant(shop, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    await expect(oidc.fetchUserInfo(shop, tokens.access_token, tokens.claims()!.sub)).rejects.toThrow();
    await expect(authorize(shop, browser, 'openid', { consent: false })).rejects.toThrow('consent was asked for again');
    expect(await listApps(browser)).toEqual([]);

    const [event] = await auditEvents(harness.runtime, { type: 'oidc.consent-revoked', userId });
    expect(event).toMatchObject({ outcome: 'success', details: { clientId: shopId } });
    // Once gone, gone: a second revocation finds nothing.
    expect((await revoke(browser, shopId)).status).toBe(404);
  });

  it('cannot revoke someone else\'s app: the same 404 as an unknown app, and their tokens keep working', async () => {
    const owner = await newPerson();
    const tokens = await redeem(shop, await authorize(shop, owner.browser, 'openid offline_access'));
    const other = await newPerson();
    const res = await revoke(other.browser, shopId);
    expect(res.status).toBe(404);
    expect(res.body.error?.code).toBe('NOT_FOUND');
    expect((await revoke(other.browser, 'no-such-client')).status).toBe(404);
    const refreshed = await oidc.refreshTokenGrant(shop, tokens.refresh_token!);
    expect(refreshed.access_token).toBeTruthy();
    expect((await listApps(owner.browser)).map((app) => app.clientId)).toEqual([shopId]);
  });

  it('refuses a revocation sent from another site (CSRF), or with no origin at all, and keeps the app authorized', async () => {
    const { browser } = await newPerson();
    const tokens = await redeem(shop, await authorize(shop, browser, 'openid offline_access'));
    const crossSite = await revoke(browser, shopId, 'https://evil.example.net');
    expect(crossSite.status).toBe(403);
    expect(crossSite.body.error?.code).toBe('INVALID_ORIGIN');
    const noOrigin = await revoke(browser, shopId, null);
    expect(noOrigin.status).toBe(403);
    expect((await listApps(browser)).map((app) => app.clientId)).toEqual([shopId]);
    expect((await oidc.refreshTokenGrant(shop, tokens.refresh_token!)).access_token).toBeTruthy();
  });

  it('refuses odd client ids before any lookup, and answers 401 without a session', async () => {
    const { browser } = await newPerson();
    for (const clientId of ['x'.repeat(129), 'a b', '{"$ne":null}', '..%2F..']) {
      const res = await revoke(browser, clientId);
      expect(res.status).toBe(400);
    }
    const anonymous = await fetch(`${harness.baseUrl}/api/v1/me/authorized-apps/${shopId}`, { method: 'DELETE', headers: { origin: harness.baseUrl, accept: 'application/json' } });
    expect(anonymous.status).toBe(401);
  });
});
