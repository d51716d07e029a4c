import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { MongoClient, ObjectId, type Db } from 'mongodb';
import { ensureIndexes } from '../../src/db/indexes.js';
import { detectCapabilities } from '../../src/db/capabilities.js';
import { silentLogger } from '../../src/logger.js';
import { ADAPTER_CLAIMS_COLLECTION } from '../../src/db/once-only-adapter.js';
import { OIDC_ACCESS_TOKEN_COLLECTION, OIDC_REFRESH_TOKEN_COLLECTION, REVOKED_REFRESH_TOKEN_KEEP_MS, oidcTokenIndexes, sweepOidcTokens } from '../../src/auth/oidc/token-sweep.js';
import { uniqueDbName } from '../support/test-runtime.js';

let client: MongoClient;
let db: Db;
beforeAll(async () => {
  client = await MongoClient.connect(inject('mongoUri'));
  db = client.db(uniqueDbName('sweep'));
});
afterAll(async () => {
  await client.close();
});

const NOW = new Date('2026-06-01T12:00:00Z');
const at = (offsetMs: number) => new Date(NOW.getTime() + offsetMs);
const HOUR = 60 * 60_000;

describe('sweepOidcTokens', () => {
  it('deletes expired tokens, long-revoked refresh tokens and spent claims, and keeps the rest', async () => {
    await db.collection(OIDC_ACCESS_TOKEN_COLLECTION).insertMany([
      { _id: new ObjectId(), name: 'expired', expiresAt: at(-HOUR) },
      { _id: new ObjectId(), name: 'live', expiresAt: at(HOUR) },
    ]);
    await db.collection(OIDC_REFRESH_TOKEN_COLLECTION).insertMany([
      { _id: new ObjectId(), name: 'expired', expiresAt: at(-HOUR), revoked: null },
      { _id: new ObjectId(), name: 'live', expiresAt: at(24 * HOUR), revoked: null },
      // Rotated a day ago: kept, so presenting it again is still seen as replay.
      { _id: new ObjectId(), name: 'recently-revoked', expiresAt: at(24 * HOUR), revoked: at(-24 * HOUR) },
      { _id: new ObjectId(), name: 'long-revoked', expiresAt: at(24 * HOUR), revoked: at(-REVOKED_REFRESH_TOKEN_KEEP_MS - HOUR) },
    ]);
    await db.collection<{ _id: string; expiresAt: Date }>(ADAPTER_CLAIMS_COLLECTION).insertMany([
      { _id: 'consume:verification:a', expiresAt: at(-HOUR) },
      { _id: 'consume:verification:b', expiresAt: at(HOUR) },
    ]);

    expect(await sweepOidcTokens(db, NOW)).toEqual({ accessTokens: 1, refreshTokens: 2, claims: 1 });
    const names = async (collection: string) => (await db.collection(collection).find().toArray()).map((d) => d.name ?? d._id).sort();
    expect(await names(OIDC_ACCESS_TOKEN_COLLECTION)).toEqual(['live']);
    expect(await names(OIDC_REFRESH_TOKEN_COLLECTION)).toEqual(['live', 'recently-revoked']);
    expect(await names(ADAPTER_CLAIMS_COLLECTION)).toEqual(['consume:verification:b']);
  });

  it('has indexes the run\'s database accepts, TTL only where it has TTL indexes', async () => {
    const capabilities = await detectCapabilities(db);
    const definitions = oidcTokenIndexes(capabilities);
    expect(definitions.some((d) => 'expireAfterSeconds' in d.options)).toBe(capabilities.ttlIndexes);
    await ensureIndexes(db, definitions, silentLogger);
    const names = (await db.collection(OIDC_REFRESH_TOKEN_COLLECTION).indexes()).map((i) => i.name);
    expect(names).toEqual(expect.arrayContaining(definitions.filter((d) => d.collection === OIDC_REFRESH_TOKEN_COLLECTION).map((d) => d.options.name)));
  });
});
