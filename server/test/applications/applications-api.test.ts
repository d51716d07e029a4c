import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { uniqueDbName } from '../support/test-runtime.js';
import { capturedLog } from '../support/captured-log.js';
import { ADMIN, signInByPassword, signUp, startOidcHarness, type OidcBrowser, type OidcHarness } from '../oidc/oidc-harness.js';
import { adminCall, APPLICATIONS, registerApplication, registration, type ApplicationAnswer } from './admin-api.js';

const log = capturedLog('debug');
let harness: OidcHarness;
let admin: OidcBrowser;
let person: OidcBrowser;

beforeAll(async () => {
  harness = await startOidcHarness({ dbName: uniqueDbName('apps'), logger: log.logger });
  admin = await signInByPassword(harness.baseUrl, ADMIN.username, ADMIN.password);
  ({ browser: person } = await signUp(harness.baseUrl, { email: 'eve@example.com', password: 'correct-horse-9', name: 'Eve', username: 'eve' }));
}, 120_000);

afterAll(async () => {
  await harness?.close();
});

const call = <T = Record<string, unknown>>(who: OidcBrowser | null, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown, options?: { origin?: string | null }) =>
  adminCall<T>(harness.baseUrl, who, method, path, body, options);

function errorCode(res: { body: Record<string, unknown> }): unknown {
  return (res.body.error as { code?: unknown } | undefined)?.code;
}

async function storedClient(clientId: string) {
  return harness.runtime.database.db.collection('oauthClient').findOne({ clientId });
}

describe('who may use the applications API', () => {
  it('answers 401 without a session, on every route', async () => {
    const { application } = await registerApplication(harness.baseUrl, admin);
    const id = application.clientId;
    const routes = [
      ['GET', APPLICATIONS], ['POST', APPLICATIONS], ['GET', `${APPLICATIONS}/${id}`], ['PATCH', `${APPLICATIONS}/${id}`],
      ['DELETE', `${APPLICATIONS}/${id}`], ['POST', `${APPLICATIONS}/${id}/rotate-secret`], ['GET', `${APPLICATIONS}/${id}/activity`],
    ] as const;
    for (const [method, path] of routes) {
      const res = await call(null, method, path, method === 'GET' || method === 'DELETE' ? undefined : registration());
      expect({ method, path, status: res.status, code: errorCode(res) }).toEqual({ method, path, status: 401, code: 'UNAUTHORIZED' });
    }
    expect(await storedClient(id)).not.toBeNull();
  });

  it('answers 403 to a signed-in user who is not an admin, and changes nothing', async () => {
    const { application } = await registerApplication(harness.baseUrl, admin, { name: 'Not yours' });
    const list = await call(person, 'GET', APPLICATIONS);
    expect({ status: list.status, code: errorCode(list) }).toEqual({ status: 403, code: 'FORBIDDEN' });
    const rotate = await call(person, 'POST', `${APPLICATIONS}/${application.clientId}/rotate-secret`);
    expect(rotate.status).toBe(403);
    expect(rotate.text).not.toMatch(/clientSecret/);
    const removed = await call(person, 'DELETE', `${APPLICATIONS}/${application.clientId}`);
    expect(removed.status).toBe(403);
    const created = await call(person, 'POST', APPLICATIONS, registration({ name: 'Sneaky' }));
    expect(created.status).toBe(403);
    const stored = await harness.runtime.database.db.collection('oauthClient').find({ name: 'Sneaky' }).toArray();
    expect(stored).toHaveLength(0);
    expect((await storedClient(application.clientId))?.name).toBe('Not yours');
  });

  it('refuses an admin\'s write from another origin, or without one (CSRF), and reads stay open to the admin', async () => {
    const { application } = await registerApplication(harness.baseUrl, admin, { name: 'Origin test' });
    const path = `${APPLICATIONS}/${application.clientId}`;
    const forged = await call(admin, 'PATCH', path, { name: 'Forged' }, { origin: 'https://evil.example' });
    expect({ status: forged.status, code: errorCode(forged) }).toEqual({ status: 403, code: 'INVALID_ORIGIN' });
    const noOrigin = await call(admin, 'DELETE', path, undefined, { origin: null });
    expect({ status: noOrigin.status, code: errorCode(noOrigin) }).toEqual({ status: 403, code: 'MISSING_OR_NULL_ORIGIN' });
    const rotate = await call(admin, 'POST', `${path}/rotate-secret`, undefined, { origin: 'null' });
    expect(rotate.status).toBe(403);
    const create = await call(admin, 'POST', APPLICATIONS, registration({ name: 'Cross-site' }), { origin: 'https://evil.example' });
    expect(create.status).toBe(403);
    expect((await storedClient(application.clientId))?.name).toBe('Origin test');
    expect((await call(admin, 'GET', path)).status).toBe(200);
  });
});

describe('registering, reading, changing and deleting', () => {
  it('shows a confidential secret once, stores only its SHA-256 hash, and never shows it again', async () => {
    const created = await call<{ data: { application: ApplicationAnswer; clientSecret: string } }>(admin, 'POST', APPLICATIONS, registration({ name: 'Back office', firstParty: true }));
    expect(created.status).toBe(201);
    expect(created.headers.get('cache-control')).toBe('no-store');
    const { application, clientSecret } = created.body.data;
    expect(clientSecret).toMatch(/^[A-Za-z]{32}$/);
    expect(application).toMatchObject({ name: 'Back office', type: 'confidential', tokenEndpointAuthMethod: 'client_secret_basic', firstParty: true, requirePkce: true, kind: 'web', registeredBy: 'admin' });

    const stored = await storedClient(application.clientId);
    expect(stored?.clientSecret).toBe(createHash('sha256').update(clientSecret).digest('base64url'));
    expect(JSON.stringify(stored)).not.toContain(clientSecret);

    const list = await call(admin, 'GET', APPLICATIONS);
    const detail = await call(admin, 'GET', `${APPLICATIONS}/${application.clientId}`);
    for (const answer of [list, detail]) {
      expect(answer.status).toBe(200);
      expect(answer.text).not.toContain(clientSecret);
      expect(answer.text).not.toContain(stored!.clientSecret as string);
      expect(answer.text).not.toMatch(/clientSecret/i);
    }
    const provider = { issuer: harness.baseUrl, discoveryUrl: `${harness.baseUrl}/.well-known/openid-configuration` };
    expect((list.body.data as { provider: unknown }).provider).toEqual(provider);
    expect((detail.body.data as { provider: unknown }).provider).toEqual(provider);
    expect((await fetch(provider.discoveryUrl)).status).toBe(200);

    await harness.runtime.audit.flush();
    const events = await harness.runtime.database.db.collection('audit_events').find({ 'details.clientId': application.clientId }).toArray();
    expect(events.map((event) => event.type)).toContain('admin.application-created');
    expect(JSON.stringify(events)).not.toContain(clientSecret);
    expect(log.text()).not.toContain(clientSecret);
    expect(log.text()).not.toContain(stored!.clientSecret as string);
  });

  it('registers a public application without a secret, PKCE always on', async () => {
    const { application, clientSecret } = await registerApplication(harness.baseUrl, admin, { name: 'Shop SPA', type: 'public' });
    expect(clientSecret).toBeNull();
    expect(application).toMatchObject({ type: 'public', tokenEndpointAuthMethod: 'none', requirePkce: true });
    expect((await storedClient(application.clientId))?.clientSecret ?? null).toBeNull();
    const turnedOff = await call(admin, 'POST', APPLICATIONS, registration({ type: 'public', requirePkce: false }));
    expect({ status: turnedOff.status, code: errorCode(turnedOff) }).toEqual({ status: 400, code: 'INVALID_APPLICATION' });
    const patched = await call(admin, 'PATCH', `${APPLICATIONS}/${application.clientId}`, { requirePkce: false });
    expect({ status: patched.status, code: errorCode(patched) }).toEqual({ status: 400, code: 'INVALID_APPLICATION' });
    const rotate = await call(admin, 'POST', `${APPLICATIONS}/${application.clientId}/rotate-secret`);
    expect({ status: rotate.status, code: errorCode(rotate) }).toEqual({ status: 400, code: 'APPLICATION_HAS_NO_SECRET' });
  });

  it('lets any admin change an application another admin registered, field by field, and records which fields', async () => {
    const { application } = await registerApplication(harness.baseUrl, admin, { name: 'Old name', logoUrl: 'https://cdn.example.test/logo.png' });
    // A second admin: the provider's own update endpoint would let only the first one change it.
    await harness.runtime.database.db.collection('user').updateOne({ email: 'eve@example.com' }, { $set: { role: 'admin' } });
    const patched = await call<{ data: ApplicationAnswer }>(person, 'PATCH', `${APPLICATIONS}/${application.clientId}`, { name: '  New name ', logoUrl: '', scopes: ['openid', 'profile'] });
    await harness.runtime.database.db.collection('user').updateOne({ email: 'eve@example.com' }, { $set: { role: 'user' } });
    expect(patched.status).toBe(200);
    expect(patched.body.data).toMatchObject({ name: 'New name', logoUrl: null, scopes: ['openid', 'profile'], redirectUris: application.redirectUris });
    const stored = await storedClient(application.clientId);
    expect(stored).toMatchObject({ name: 'New name', icon: null, scopes: ['openid', 'profile'] });
    await harness.runtime.audit.flush();
    const updated = await harness.runtime.database.db.collection('audit_events').findOne({ type: 'admin.application-updated', 'details.clientId': application.clientId });
    expect(updated?.details).toMatchObject({ fields: 'logoUrl,name,scopes', applicationName: 'New name' });
  });

  it('answers 404 for an unknown or malformed client id, without touching anything', async () => {
    for (const id of ['nope', 'x'.repeat(200), '%24ne', encodeURIComponent('{"$ne":null}')]) {
      const res = await call(admin, 'GET', `${APPLICATIONS}/${id}`);
      expect({ id, status: res.status, code: errorCode(res) }).toEqual({ id, status: 404, code: 'APPLICATION_NOT_FOUND' });
      const del = await call(admin, 'DELETE', `${APPLICATIONS}/${id}`);
      expect(del.status).toBe(404);
    }
  });

  it('deletes an application and records it', async () => {
    const { application } = await registerApplication(harness.baseUrl, admin, { name: 'Short-lived' });
    const res = await call(admin, 'DELETE', `${APPLICATIONS}/${application.clientId}`);
    expect(res.body).toEqual({ success: true, data: { deleted: true } });
    expect(await storedClient(application.clientId)).toBeNull();
    expect((await call(admin, 'GET', `${APPLICATIONS}/${application.clientId}`)).status).toBe(404);
    expect((await call(admin, 'DELETE', `${APPLICATIONS}/${application.clientId}`)).status).toBe(404);
    await harness.runtime.audit.flush();
    const events = await harness.runtime.database.db.collection('audit_events').find({ 'details.clientId': application.clientId, type: 'admin.application-deleted' }).toArray();
    expect(events.map((event) => [event.outcome, event.details.applicationName])).toEqual([['success', 'Short-lived'], ['failure', undefined]]);
  });
});

describe('what an application may be registered with', () => {
  const refusals: Array<[string, Record<string, unknown>, string]> = [
    ['a wildcard redirect URI', { redirectUris: ['https://*.example.test/callback'] }, 'INVALID_REDIRECT_URI'],
    ['a wildcard in the path', { redirectUris: ['https://rp.example.test/*'] }, 'INVALID_REDIRECT_URI'],
    ['a fragment', { redirectUris: ['https://rp.example.test/callback#x'] }, 'INVALID_REDIRECT_URI'],
    ['an empty fragment', { redirectUris: ['https://rp.example.test/callback#'] }, 'INVALID_REDIRECT_URI'],
    ['javascript:', { redirectUris: ['javascript:alert(1)'] }, 'INVALID_REDIRECT_URI'],
    ['javascript: disguised in case', { redirectUris: ['JavaScript://rp.example.test/%0aalert(1)'] }, 'INVALID_REDIRECT_URI'],
    ['data:', { redirectUris: ['data:text/html,<script>alert(1)</script>'] }, 'INVALID_REDIRECT_URI'],
    ['a relative URI', { redirectUris: ['/callback'] }, 'INVALID_REDIRECT_URI'],
    ['http on a real host', { redirectUris: ['http://rp.example.test/callback'] }, 'INVALID_REDIRECT_URI'],
    ['http on a host that only starts like localhost', { redirectUris: ['http://localhost.evil.example/callback'] }, 'INVALID_REDIRECT_URI'],
    ['credentials in the URI', { redirectUris: ['https://user:pass@rp.example.test/callback'] }, 'INVALID_REDIRECT_URI'],
    ['https on loopback', { redirectUris: ['https://localhost/callback'] }, 'INVALID_REDIRECT_URI'],
    ['no redirect URI', { redirectUris: [] }, 'INVALID_REDIRECT_URI'],
    ['a redirect URI twice', { redirectUris: ['https://rp.example.test/a', 'https://rp.example.test/a'] }, 'INVALID_REDIRECT_URI'],
    ['a redirect URI as a string, not a list', { redirectUris: 'https://rp.example.test/callback' }, 'INVALID_REDIRECT_URI'],
    ['a wildcard post-logout URI', { postLogoutRedirectUris: ['https://*.example.test/'] }, 'INVALID_REDIRECT_URI'],
    ['an http logo', { logoUrl: 'http://cdn.example.test/logo.png' }, 'INVALID_LOGO_URL'],
    ['a javascript: logo', { logoUrl: 'javascript:alert(1)' }, 'INVALID_LOGO_URL'],
    ['an empty name', { name: '   ' }, 'INVALID_APPLICATION'],
    ['a name over 100 characters', { name: 'n'.repeat(101) }, 'INVALID_APPLICATION'],
    ['scopes without openid', { scopes: ['profile'] }, 'INVALID_APPLICATION'],
    ['a scope the provider does not have', { scopes: ['openid', 'admin'] }, 'INVALID_APPLICATION'],
    ['an unknown type', { type: 'trusted' }, 'INVALID_APPLICATION'],
    ['a field of the provider\'s own', { skip_consent: true }, 'INVALID_APPLICATION'],
    ['a client secret of its own choosing', { clientSecret: 'chosen-by-me' }, 'INVALID_APPLICATION'],
    ['an owner', { userId: '0123456789abcdef01234567' }, 'INVALID_APPLICATION'],
  ];

  it.each(refusals)('refuses %s with a 400 naming the field', async (_what, overrides, code) => {
    const before = await harness.runtime.database.db.collection('oauthClient').countDocuments();
    const res = await call(admin, 'POST', APPLICATIONS, registration(overrides));
    expect({ status: res.status, code: errorCode(res) }).toEqual({ status: 400, code });
    expect(((res.body.error as { details?: { issues?: unknown[] } }).details?.issues ?? []).length).toBeGreaterThan(0);
    expect(await harness.runtime.database.db.collection('oauthClient').countDocuments()).toBe(before);
  });

  it('refuses the same values in an update, and an empty update', async () => {
    const { application } = await registerApplication(harness.baseUrl, admin);
    const path = `${APPLICATIONS}/${application.clientId}`;
    for (const [, overrides, code] of refusals.filter(([, o]) => !('type' in o) && !('skip_consent' in o) && !('clientSecret' in o) && !('userId' in o))) {
      const res = await call(admin, 'PATCH', path, overrides);
      expect({ overrides, status: res.status, code: errorCode(res) }).toEqual({ overrides, status: 400, code });
    }
    const typeChange = await call(admin, 'PATCH', path, { type: 'public' });
    expect(typeChange.status).toBe(400);
    const empty = await call(admin, 'PATCH', path, {});
    expect({ status: empty.status, code: errorCode(empty) }).toEqual({ status: 400, code: 'INVALID_APPLICATION' });
    expect((await storedClient(application.clientId))?.redirectUris).toEqual(application.redirectUris);
  });

  it('accepts loopback http and app schemes as a native application, https as a web one', async () => {
    const native = await registerApplication(harness.baseUrl, admin, { redirectUris: ['http://localhost:3001/callback', 'http://127.0.0.1:8080/cb', 'http://[::1]/cb', 'com.example.shop:/oauth'] });
    expect(native.application).toMatchObject({ kind: 'native' });
    expect((await storedClient(native.application.clientId))?.applicationType).toBe('native');
    const patched = await call<{ data: ApplicationAnswer }>(admin, 'PATCH', `${APPLICATIONS}/${native.application.clientId}`, { redirectUris: ['https://shop.example.test/cb'] });
    expect(patched.body.data).toMatchObject({ kind: 'web', redirectUris: ['https://shop.example.test/cb'] });
  });

  it('refuses an oversized body without registering anything', async () => {
    const res = await call(admin, 'POST', APPLICATIONS, registration({ name: 'x'.repeat(200_000) }));
    expect(res.status).toBe(413);
  });
});
