import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { MongoClient, ObjectId, type Db } from 'mongodb';
import { mongodbAdapter } from 'better-auth/adapters/mongodb';
import type { DBAdapter } from '@better-auth/core/db/adapter';
import type { BetterAuthOptions } from '@better-auth/core';
import { ADAPTER_CLAIMS_COLLECTION, adapterForCapabilities, onceOnlyTransitions } from '../../src/db/once-only-adapter.js';
import { OnceClaims } from '../../src/db/claims.js';
import { detectCapabilities } from '../../src/db/capabilities.js';
import { uniqueDbName } from '../support/test-runtime.js';

// Two clients on one database, as two instances behind a load balancer would be.
let clients: MongoClient[];
let dbs: Db[];
const OPTIONS = { secret: 'x'.repeat(32), baseURL: 'http://localhost:3000' } as BetterAuthOptions;
const ROUNDS = 20;
const CONCURRENCY = 8;

function wrappedAdapter(db: Db): DBAdapter {
  return onceOnlyTransitions(mongodbAdapter(db, { transaction: false }), new OnceClaims(db, Date.now, ADAPTER_CLAIMS_COLLECTION))(OPTIONS);
}

beforeAll(async () => {
  const dbName = uniqueDbName('once');
  clients = await Promise.all([MongoClient.connect(inject('mongoUri')), MongoClient.connect(inject('mongoUri'))]);
  dbs = clients.map((c) => c.db(dbName));
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
});

describe('once-only adapter', () => {
  it('wraps only where conditional writes are not atomic', async () => {
    const inner = mongodbAdapter(dbs[0]!, { transaction: false });
    const capabilities = await detectCapabilities(dbs[0]!);
    expect(adapterForCapabilities(inner, dbs[0]!, { ...capabilities, atomicConditionalWrites: true })).toBe(inner);
    expect(adapterForCapabilities(inner, dbs[0]!, { ...capabilities, atomicConditionalWrites: false })).not.toBe(inner);
    // The run's database decides: FerretDB is the one without atomic conditional writes.
    expect(capabilities.atomicConditionalWrites).toBe(capabilities.engine === 'mongodb');
  });

  it('lets exactly one of many concurrent consumeOne calls on one document win, across two clients', async () => {
    const adapters = dbs.map(wrappedAdapter);
    for (let round = 0; round < ROUNDS; round++) {
      const created = await adapters[0]!.create<{ identifier: string; value: string; expiresAt: Date }, { id: string }>({
        model: 'verification',
        data: { identifier: `code-${round}`, value: 'v', expiresAt: new Date(Date.now() + 60_000) },
      });
      const results = await Promise.all(
        Array.from({ length: CONCURRENCY }, (_, i) => adapters[i % 2]!.consumeOne({ model: 'verification', where: [{ field: 'id', value: created.id }] })),
      );
      expect(results.filter((r) => r !== null)).toHaveLength(1);
      expect(await adapters[0]!.findOne({ model: 'verification', where: [{ field: 'id', value: created.id }] })).toBeNull();
    }
  });

  it('lets exactly one of many concurrent null-to-value transitions (refresh rotation) win, across two clients', async () => {
    const adapters = dbs.map(wrappedAdapter);
    for (let round = 0; round < ROUNDS; round++) {
      // Refresh rotation guards on `revoked = null` and sets `revoked`; `image` stands in for it on a core model.
      const created = await adapters[0]!.create<Record<string, unknown>, { id: string }>({
        model: 'user',
        data: { name: `u${round}`, email: `u${round}-${new ObjectId().toHexString()}@example.com`, emailVerified: false, image: null, createdAt: new Date(), updatedAt: new Date() },
      });
      const results = await Promise.all(
        Array.from({ length: CONCURRENCY }, (_, i) =>
          adapters[i % 2]!.incrementOne({ model: 'user', where: [{ field: 'id', value: created.id }, { field: 'image', value: null }], increment: {}, set: { image: `winner-${i}` } }),
        ),
      );
      expect(results.filter((r) => r !== null)).toHaveLength(1);
    }
  });

  it('leaves calls it cannot pin to one document alone', async () => {
    const adapter = wrappedAdapter(dbs[0]!);
    await adapter.create({ model: 'verification', data: { identifier: 'by-identifier', value: 'v', expiresAt: new Date(Date.now() + 60_000) } });
    const first = await adapter.consumeOne({ model: 'verification', where: [{ field: 'identifier', value: 'by-identifier' }] });
    expect(first).not.toBeNull();
    expect(await dbs[0]!.collection(ADAPTER_CLAIMS_COLLECTION).countDocuments({ _id: { $regex: 'by-identifier' } } as never)).toBe(0);
  });
});
