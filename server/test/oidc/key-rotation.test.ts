import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { uniqueDbName } from '../support/test-runtime.js';
import { ADMIN, authorize, createClient, publicClientConfig, redeem, signInByPassword, signUp, startOidcHarness, type OidcHarness } from './oidc-harness.js';

let harness: OidcHarness;
beforeAll(async () => {
  harness = await startOidcHarness({ dbName: uniqueDbName('oidc') });
}, 120_000);
afterAll(async () => {
  await harness?.close();
});

describe('signing keys', () => {
  it('are kept in MongoDB with the private key encrypted, and rotate without breaking id_tokens already issued', async () => {
    const admin = await signInByPassword(harness.baseUrl, ADMIN.username, ADMIN.password);
    const client = await createClient(harness, admin, { token_endpoint_auth_method: 'none' });
    const config = await publicClientConfig(harness.baseUrl, client.client_id);
    await signUp(harness.baseUrl, { email: 'keys@example.com', password: 'correct-horse-5', name: 'Keys', username: 'keys' });
    const person = await signInByPassword(harness.baseUrl, 'keys', 'correct-horse-5');
    const before = await redeem(config, await authorize(config, person, 'openid'));

    const jwks = harness.runtime.database.db.collection('jwks');
    const rows = await jwks.find().toArray();
    expect(rows).toHaveLength(1);
    // The private JWK's "d" never lies in the database in clear.
    expect(String(rows[0]!.privateKey)).not.toContain('"d"');

    // The key's time is up, as after rotationInterval: the next token is signed by a new key.
    await jwks.updateMany({}, { $set: { expiresAt: new Date(Date.now() - 1000) } });
    const after = await redeem(config, await authorize(config, person, 'openid'));
    expect(decodeProtectedHeader(after.id_token!).kid).not.toBe(decodeProtectedHeader(before.id_token!).kid);

    // Both verify against the published keys: the old one stays there for its grace period.
    const published = createRemoteJWKSet(new URL(config.serverMetadata().jwks_uri!));
    for (const token of [before.id_token!, after.id_token!]) {
      await expect(jwtVerify(token, published, { issuer: harness.baseUrl, audience: client.client_id })).resolves.toBeTruthy();
    }
  });
});
