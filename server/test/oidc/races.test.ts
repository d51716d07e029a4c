import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as oidc from 'openid-client';
import { uniqueDbName } from '../support/test-runtime.js';
import {
  ADMIN, REDIRECT_URI, authorize, createClient, publicClientConfig, redeem, signInByPassword, signUp, startOidcHarness, tokenRequest,
  type OidcBrowser, type OidcHarness,
} from './oidc-harness.js';

// Two instances on one database, as behind a load balancer: nothing in one process's memory helps.
let first: OidcHarness;
let second: OidcHarness;
let person: OidcBrowser;
let clientId: string;
let config: oidc.Configuration;
const ROUNDS = 8;
const CONCURRENCY = 6;

beforeAll(async () => {
  const dbName = uniqueDbName('oidc');
  first = await startOidcHarness({ dbName });
  // The second instance must issue the same issuer: codes and tokens are the first one's.
  second = await startOidcHarness({ dbName, env: { BETTER_AUTH_URL: first.baseUrl, TRUSTED_ORIGINS: first.baseUrl } });
  const admin = await signInByPassword(first.baseUrl, ADMIN.username, ADMIN.password);
  clientId = (await createClient(first, admin, { token_endpoint_auth_method: 'none' })).client_id;
  config = await publicClientConfig(first.baseUrl, clientId);
  await signUp(first.baseUrl, { email: 'race@example.com', password: 'correct-horse-3', name: 'Racer', username: 'racer' });
  person = await signInByPassword(first.baseUrl, 'racer', 'correct-horse-3');
}, 120_000);

afterAll(async () => {
  await second?.close();
  await first?.close();
});

/** The i-th of the concurrent requests goes to the first or the second instance in turn. */
const instance = (i: number) => (i % 2 === 0 ? first.baseUrl : second.baseUrl);

describe('single use across two instances on one database', () => {
  it('redeems one authorization code exactly once, however many requests race for it', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const grant = await authorize(config, person, 'openid offline_access');
      const params = { grant_type: 'authorization_code', code: grant.callback.searchParams.get('code')!, redirect_uri: REDIRECT_URI, client_id: clientId, code_verifier: grant.codeVerifier };
      const results = await Promise.all(Array.from({ length: CONCURRENCY }, (_, i) => tokenRequest(instance(i), params)));
      const winners = results.filter((r) => r.status === 200);
      expect(winners).toHaveLength(1);
      for (const loser of results.filter((r) => r.status !== 200)) expect(loser.body.error).toBe('invalid_grant');
    }
  });

  it('rotates one refresh token exactly once, however many requests race for it', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const tokens = await redeem(config, await authorize(config, person, 'openid offline_access'));
      const params = { grant_type: 'refresh_token', refresh_token: tokens.refresh_token!, client_id: clientId };
      const results = await Promise.all(Array.from({ length: CONCURRENCY }, (_, i) => tokenRequest(instance(i), params)));
      expect(results.filter((r) => r.status === 200)).toHaveLength(1);
      for (const loser of results.filter((r) => r.status !== 200)) expect(loser.body.error).toBe('invalid_grant');
    }
  });
});
