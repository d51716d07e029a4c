import { describe, expect, it } from 'vitest';
import type { Db } from 'mongodb';
import { ensureIndexes } from '../../src/db/indexes.js';
import { capturedLog } from '../support/captured-log.js';

/** MongoDB's own wording when a unique index meets existing duplicates (FerretDB names no values). */
const MONGODB_DUPLICATE_MESSAGE =
  'Index build failed: 4c1e…: Collection t.account ( 9f… ) :: caused by :: E11000 duplicate key error collection: t.account ' +
  'index: account_accountId_providerId_uidx dup key: { accountId: "oSecretOpenid_123", providerId: "wechat" }';

/** A database whose index builds fail as MongoDB's do on duplicates: the log line is what is under test. */
function databaseRefusingIndexes(): Db {
  const collection = { createIndex: async () => Promise.reject(Object.assign(new Error(MONGODB_DUPLICATE_MESSAGE), { code: 11000 })) };
  return { collection: () => collection } as unknown as Db;
}

describe('a refused index in the log', () => {
  it('names the index and the code, never the duplicate values (openids, emails)', async () => {
    const log = capturedLog('info');
    const definition = { collection: 'account', key: { accountId: 1, providerId: 1 }, options: { name: 'account_accountId_providerId_uidx', unique: true } } as const;
    const refused = await ensureIndexes(databaseRefusingIndexes(), [definition], log.logger);
    expect(refused).toEqual([definition]);
    expect(log.entries()).toMatchObject([{ level: 40, index: 'account_accountId_providerId_uidx', err: { code: 11000 } }]);
    expect(log.text()).toContain('dup key: { … }');
    expect(log.text()).not.toContain('oSecretOpenid');
  });
});
