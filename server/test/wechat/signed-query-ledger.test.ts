import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { MongoClient, type Db } from 'mongodb';
import { RETENTION_WITHOUT_WINDOW_SECONDS, SIGNED_QUERY_COLLECTION, SignedQueryLedger } from '../../src/wechat/webhook/signed-query-ledger.js';
import { uniqueDbName } from '../support/test-runtime.js';

let client: MongoClient;
let db: Db;
beforeAll(async () => {
  client = await MongoClient.connect(inject('mongoUri'));
  db = client.db(uniqueDbName('ledger'));
});
afterAll(async () => {
  await client?.close();
});

let counter = 0;
const freshQuery = () => {
  counter += 1;
  return { timestamp: '1714037059', nonce: `${counter}${Date.now()}`, signature: 'a'.repeat(40) };
};
const push = (payload: string) => ({ kind: 'push' as const, payload });

describe('SignedQueryLedger', () => {
  it('takes a query once with its body, again with the same body, never with another', async () => {
    const ledger = new SignedQueryLedger(db, { replayWindowSeconds: 300 });
    const query = freshQuery();
    expect(await ledger.use(query, push('<xml>A</xml>'))).toBe('first');
    expect(await ledger.use(query, push('<xml>A</xml>'))).toBe('repeat');
    expect(await ledger.use(query, push('<xml>B</xml>'))).toBe('reused');
    await expect(ledger.assertUsable(query, push('<xml>B</xml>'))).rejects.toMatchObject({ status: 401, code: 'WECHAT_SIGNED_QUERY_REUSED' });
    // The same echostr text is not the same content as a push body.
    expect(await ledger.use(query, { kind: 'url-verification', payload: '<xml>A</xml>' })).toBe('reused');
  });

  it('lets exactly one of many racing bodies be first', async () => {
    const ledger = new SignedQueryLedger(db, { replayWindowSeconds: 300 });
    const query = freshQuery();
    const uses = await Promise.all(Array.from({ length: 20 }, (_, i) => ledger.use(query, push(`<xml>${i}</xml>`))));
    expect(uses.filter((use) => use === 'first')).toHaveLength(1);
    expect(uses.filter((use) => use === 'reused')).toHaveLength(19);
  });

  it('is shared by every instance on the database', async () => {
    const query = freshQuery();
    expect(await new SignedQueryLedger(db, { replayWindowSeconds: 300 }).use(query, push('A'))).toBe('first');
    expect(await new SignedQueryLedger(db, { replayWindowSeconds: 300 }).use(query, push('B'))).toBe('reused');
  });

  it('remembers a query for twice the window (plus a margin), or a day with the window off; stores no signature', async () => {
    let nowMs = Date.UTC(2026, 0, 1);
    const ledger = new SignedQueryLedger(db, { replayWindowSeconds: 300, now: () => nowMs });
    const query = { ...freshQuery(), signature: 'b'.repeat(40) };
    await ledger.use(query, push('A'));
    const stored = await db.collection(SIGNED_QUERY_COLLECTION).find({ createdAt: new Date(nowMs) }).toArray();
    expect(stored).toHaveLength(1);
    expect(stored[0]!.expiresAt.getTime() - nowMs).toBe((2 * 300 + 60) * 1000);
    expect(JSON.stringify(stored)).not.toContain(query.signature);
    expect(JSON.stringify(stored)).not.toContain(query.nonce);

    nowMs += 2 * 300 * 1000; // still inside: a query first used at timestamp − window is accepted until timestamp + window
    expect(await ledger.use(query, push('B'))).toBe('reused');
    nowMs += 61 * 1000; // expired but not yet swept (FerretDB has no TTL): still refused, never first twice
    expect(await ledger.use(query, push('B'))).toBe('reused');
    await ledger.sweepExpired();
    expect(await ledger.use(query, push('B'))).toBe('first');

    const windowOff = new SignedQueryLedger(db, { replayWindowSeconds: 0, now: () => nowMs });
    const other = freshQuery();
    await windowOff.use(other, push('A'));
    const record = await db.collection(SIGNED_QUERY_COLLECTION).findOne({ createdAt: new Date(nowMs), 'data.content': { $exists: true } }, { sort: { expiresAt: -1 } });
    expect(record!.expiresAt.getTime() - nowMs).toBe(RETENTION_WITHOUT_WINDOW_SECONDS * 1000);
  });
});
