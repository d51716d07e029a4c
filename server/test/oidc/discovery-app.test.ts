import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../src/runtime.js';
import { createTestRuntime, TEST_BASE_URL } from '../support/test-runtime.js';

/** The app as deployed: discovery at the issuer's root, readable from any app's origin, registration per OIDC_DYNAMIC_REGISTRATION. */
describe('OIDC discovery in the app', () => {
  let closed: Runtime;
  let open: Runtime;
  beforeAll(async () => {
    [closed, open] = await Promise.all([createTestRuntime(), createTestRuntime({ env: { OIDC_DYNAMIC_REGISTRATION: 'true' } })]);
  });
  afterAll(async () => {
    await Promise.all([closed?.close(), open?.close()]);
  });

  it('serves the configuration at the issuer root, to any origin, without credentials', async () => {
    const res = await request(closed.app).get('/.well-known/openid-configuration').set('Origin', 'https://shop.example.net');
    expect(res.status).toBe(200);
    expect(res.body.issuer).toBe(TEST_BASE_URL);
    expect(res.body.token_endpoint_auth_methods_supported).toContain('none');
    expect(res.body.code_challenge_methods_supported).toEqual(['S256']);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
    expect((await request(closed.app).get('/.well-known/oauth-authorization-server')).status).toBe(200);
  });

  it('advertises dynamic registration only when OIDC_DYNAMIC_REGISTRATION=true, and accepts it only then', async () => {
    const client = { redirect_uris: ['https://shop.example.net/callback'], client_name: 'Shop', token_endpoint_auth_method: 'none' };
    const refused = await request(closed.app).post('/api/auth/oauth2/register').send(client);
    expect(refused.status).toBeGreaterThanOrEqual(400);
    const registered = await request(open.app).post('/api/auth/oauth2/register').send(client);
    expect(registered.status).toBe(201);
    expect(registered.body.client_id).toEqual(expect.any(String));
    expect((await request(open.app).get('/.well-known/openid-configuration')).body.registration_endpoint).toBe(`${TEST_BASE_URL}/api/auth/oauth2/register`);
  });
});
