import { MongoClient, type Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { OnceClaims } from '../../src/db/claims.js';
import { GroupInsert } from '../../src/db/group-insert.js';
import { GroupUpdateById } from '../../src/db/group-update.js';
import { uniqueDbName } from '../support/test-runtime.js';

let client: MongoClient;
let db: Db;
beforeAll(async () => {
  client = await MongoClient.connect(inject('mongoUri'));
  db = client.db(uniqueDbName('group'));
});
afterAll(async () => {
  await client?.close();
});

describe('GroupInsert', () => {
  it('writes concurrent inserts in fewer round trips, and tells each caller about its own document', async () => {
    const collection = db.collection<{ _id: string; n: number }>('grouped');
    const insertMany = vi.spyOn(collection, 'insertMany');
    const group = new GroupInsert(collection);
    // 40 callers at once, with every key twice: one of each pair wins, wherever the pair lands.
    const outcomes = await Promise.all(Array.from({ length: 80 }, (_, i) => group.insert({ _id: `k${i % 40}`, n: i })));
    expect(outcomes.filter((outcome) => outcome === 'inserted')).toHaveLength(40);
    expect(outcomes.filter((outcome) => outcome === 'duplicate')).toHaveLength(40);
    for (let key = 0; key < 40; key += 1) expect([outcomes[key], outcomes[key + 40]].sort()).toEqual(['duplicate', 'inserted']);
    expect(await collection.countDocuments()).toBe(40);
    expect(insertMany.mock.calls.length).toBeLessThan(80);
    expect(insertMany.mock.calls.length).toBeGreaterThanOrEqual(2); // the first alone, the rest queued behind it
  });

  it('writes an insert at once when nothing else is being written', async () => {
    const collection = db.collection<{ _id: string }>('idle');
    const group = new GroupInsert(collection);
    expect(await group.insert({ _id: 'only' })).toBe('inserted');
    expect(await group.insert({ _id: 'only' })).toBe('duplicate');
  });

  it('fails every caller of a batch the database refused as a whole, and keeps working', async () => {
    const collection = db.collection<{ _id: string }>('refused');
    const group = new GroupInsert(collection);
    const failing = vi.spyOn(collection, 'insertMany').mockRejectedValueOnce(new Error('connection reset'));
    await expect(group.insert({ _id: 'a' })).rejects.toThrow('connection reset');
    failing.mockRestore();
    expect(await group.insert({ _id: 'a' })).toBe('inserted');
  });
});

describe('OnceClaims over GroupInsert', () => {
  it('lets exactly one of many concurrent claims of one key win, among claims of other keys', async () => {
    const claims = new OnceClaims(db, Date.now, 'claims_burst');
    const results = await Promise.all(Array.from({ length: 60 }, (_, i) => claims.claim(i % 3 === 0 ? 'contested' : `own-${i}`, 60_000)));
    expect(results.filter((won, i) => i % 3 === 0 && won)).toHaveLength(1);
    expect(results.filter((won, i) => i % 3 !== 0).every(Boolean)).toBe(true);
  });
});

describe('GroupUpdateById', () => {
  it('applies concurrent $set updates, each to its own document', async () => {
    const collection = db.collection<{ _id: string; status: string; n?: number }>('updated');
    await collection.insertMany(Array.from({ length: 30 }, (_, i) => ({ _id: `s${i}`, status: 'pending' })));
    const bulkWrite = vi.spyOn(collection, 'bulkWrite');
    const group = new GroupUpdateById(collection);
    await Promise.all(Array.from({ length: 30 }, (_, i) => group.set(`s${i}`, { status: 'scanned', n: i })));
    const docs = await collection.find().sort({ n: 1 }).toArray();
    expect(docs.map((doc) => [doc._id, doc.status, doc.n])).toEqual(Array.from({ length: 30 }, (_, i) => [`s${i}`, 'scanned', i]).sort((a, b) => (a[2] as number) - (b[2] as number)));
    expect(bulkWrite.mock.calls.length).toBeLessThan(30);
  });
});
