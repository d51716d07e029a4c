import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { MongoClient, ObjectId, type Db } from 'mongodb';
import type { Runtime } from '../../src/runtime.js';
import { capturedLog } from '../support/captured-log.js';
import { createTestRuntime, uniqueDbName } from '../support/test-runtime.js';

/**
 * A deployment from before the unique account indexes may already hold one WeChat linked to
 * several users. Start-up must say so (by ids, never the openid) and must not merge or delete.
 */
let mongo: MongoClient;
let db: Db;
const dbName = uniqueDbName('dups');
const runtimes: Runtime[] = [];

const ids = () => new ObjectId();
const users = { a: ids(), b: ids(), c: ids(), d: ids(), e: ids() };
const accounts = { a: ids(), b: ids(), c: ids(), d: ids(), e1: ids(), e2: ids(), aPassword: ids() };
const OPENID_TWICE = 'oDuplicateOpenid_000000000001';
const OPENID_UNDER_UNIONID = 'oDuplicateOpenid_000000000002';
const UNIONID = 'uDuplicateUnionid_0000000002';

async function start() {
  const log = capturedLog('info');
  runtimes.push(await createTestRuntime({ dbName, logger: log.logger }));
  return log;
}

const indexNames = async () => (await db.collection('account').listIndexes().toArray()).map((index) => String(index.name));
const errorsAbout = (log: ReturnType<typeof capturedLog>, index: string) =>
  log.entries().filter((entry) => entry.level === 50 && entry.index === index && String(entry.msg).startsWith('[API] duplicate accounts'));

beforeAll(async () => {
  mongo = await MongoClient.connect(inject('mongoUri'));
  db = mongo.db(dbName);
  const now = new Date();
  const user = (_id: ObjectId, name: string) => ({ _id, name, email: `${name}@example.com`, emailVerified: false, createdAt: now, updatedAt: now });
  await db.collection('user').insertMany(Object.entries(users).map(([name, _id]) => user(_id, name)));
  const wechat = (_id: ObjectId, userId: ObjectId, accountId: string, wechatOpenid: string) => ({ _id, userId, providerId: 'wechat', accountId, wechatOpenid, wechatUnionid: null, createdAt: now, updatedAt: now });
  await db.collection('account').insertMany([
    // Two racing first sign-ins of one person, before the fix: one key, two users.
    wechat(accounts.a, users.a, OPENID_TWICE, OPENID_TWICE),
    wechat(accounts.b, users.b, OPENID_TWICE, OPENID_TWICE),
    { _id: accounts.aPassword, userId: users.a, providerId: 'credential', accountId: String(users.a), password: 'hash', createdAt: now, updatedAt: now },
    // One person stored under the openid and, by a request that knew it, under the unionid.
    wechat(accounts.c, users.c, OPENID_UNDER_UNIONID, OPENID_UNDER_UNIONID),
    { ...wechat(accounts.d, users.d, UNIONID, OPENID_UNDER_UNIONID), wechatUnionid: UNIONID },
    // One user who bound two WeChats in two racing requests.
    wechat(accounts.e1, users.e, 'oDuplicateOpenid_000000000003', 'oDuplicateOpenid_000000000003'),
    wechat(accounts.e2, users.e, 'oDuplicateOpenid_000000000004', 'oDuplicateOpenid_000000000004'),
  ]);
  // The index such a deployment has.
  await db.collection('account').createIndex({ providerId: 1, accountId: 1 }, { name: 'account_provider_account_idx' });
});

afterAll(async () => {
  for (const runtime of runtimes) await runtime.close();
  await mongo?.close();
});

describe('start-up report of duplicate accounts', () => {
  it('logs one error per duplicate group, by account and user ids, and changes nothing', async () => {
    const log = await start();

    const identity = errorsAbout(log, 'account_accountId_providerId_uidx');
    expect(identity).toHaveLength(1);
    expect(identity[0]).toMatchObject({ providerId: 'wechat', userIds: expect.arrayContaining([String(users.a), String(users.b)]) });
    expect([...(identity[0]!.accountIds as string[])].sort()).toEqual([String(accounts.a), String(accounts.b)].sort());
    expect(String(identity[0]!.msg)).toMatch(/Nothing was merged or deleted/);

    const openid = errorsAbout(log, 'account_wechatOpenid_sparse_uidx').concat(errorsAbout(log, 'account_wechatOpenid_uidx'));
    expect(openid.map((entry) => [...(entry.accountIds as string[])].sort())).toEqual(
      expect.arrayContaining([[String(accounts.a), String(accounts.b)].sort(), [String(accounts.c), String(accounts.d)].sort()]),
    );
    expect(openid).toHaveLength(2);

    const perUser = errorsAbout(log, 'account_userId_providerId_uidx');
    expect(perUser).toHaveLength(1);
    expect(perUser[0]).toMatchObject({ providerId: 'wechat', userIds: [String(users.e)] });
    expect([...(perUser[0]!.accountIds as string[])].sort()).toEqual([String(accounts.e1), String(accounts.e2)].sort());

    // Personal identifiers stay out of the log.
    for (const secretish of [OPENID_TWICE, OPENID_UNDER_UNIONID, UNIONID, 'oDuplicateOpenid']) expect(log.text()).not.toContain(secretish);
    // Nothing merged or deleted; the old index stays, since the unique one could not replace it.
    expect(await db.collection('account').countDocuments()).toBe(7);
    expect(await db.collection('user').countDocuments({ _id: { $in: Object.values(users) } })).toBe(5);
    const names = await indexNames();
    expect(names).toContain('account_provider_account_idx');
    expect(names).not.toContain('account_accountId_providerId_uidx');
    expect(names).not.toContain('account_userId_providerId_uidx');
  });

  it('builds the unique indexes and drops the old one once an operator resolved the duplicates', async () => {
    await runtimes.pop()!.close();
    await db.collection('account').deleteMany({ _id: { $in: [accounts.b, accounts.d, accounts.e2] } });

    const log = await start();
    expect(log.entries().filter((entry) => String(entry.msg).startsWith('[API] duplicate accounts'))).toEqual([]);
    const names = await indexNames();
    expect(names).toEqual(expect.arrayContaining(['account_accountId_providerId_uidx', 'account_userId_providerId_uidx']));
    expect(names.some((name) => name.startsWith('account_wechatOpenid_'))).toBe(true);
    expect(names).not.toContain('account_provider_account_idx');
    await expect(
      db.collection('account').insertOne({ userId: users.b, providerId: 'wechat', accountId: OPENID_TWICE, wechatOpenid: 'oOther', createdAt: new Date(), updatedAt: new Date() }),
    ).rejects.toMatchObject({ code: 11000 });
  });
});
