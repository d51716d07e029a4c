import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ObjectId } from 'mongodb';
import { AUDIT_COLLECTION } from '../../src/audit/types.js';
import { backfillLastSignIns, LAST_SIGN_IN_BACKFILL_ID, MIGRATIONS_COLLECTION } from '../../src/auth/last-sign-in-backfill.js';
import { LastSignInStore, USER_COLLECTION } from '../../src/auth/last-sign-in-store.js';
import { silentLogger } from '../../src/logger.js';
import type { Runtime } from '../../src/runtime.js';
import { createTestRuntime } from '../support/test-runtime.js';

let runtime: Runtime;
const db = () => runtime.database.db;
const at = (day: number) => new Date(Date.UTC(2026, 5, day, 9));

beforeAll(async () => {
  runtime = await createTestRuntime();
  // The runtime's own run, on its empty database, marks it done: wait for it (bounded), then undo the mark.
  for (let i = 0; i < 200 && !(await db().collection(MIGRATIONS_COLLECTION).findOne({ _id: LAST_SIGN_IN_BACKFILL_ID } as never)); i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  await db().collection(MIGRATIONS_COLLECTION).deleteMany({});
});
afterAll(async () => {
  await runtime?.close();
});

async function insertUser(fields: Record<string, unknown> = {}): Promise<string> {
  const _id = new ObjectId();
  await db().collection(USER_COLLECTION).insertOne({ _id, name: 'Old user', email: `${_id.toHexString()}@example.com`, emailVerified: false, createdAt: at(1), updatedAt: at(1), ...fields });
  return _id.toHexString();
}

function signInEvent(userId: string, day: number, method: string, outcome: 'success' | 'failure' = 'success', ip: string | null = `192.0.2.${day}`) {
  return { _id: new ObjectId(), type: outcome === 'success' ? 'sign-in.succeeded' : 'sign-in.failed', outcome, userId, actorId: null, ip, userAgent: null, details: { method }, at: at(day), expiresAt: at(200) };
}

const stored = async (userId: string) => {
  const user = await db().collection(USER_COLLECTION).findOne({ _id: new ObjectId(userId) });
  return { at: user?.lastSignInAt ?? null, method: user?.lastSignInMethod ?? null, ip: user?.lastSignInIp ?? null };
};

describe('last sign-ins filled in from the audit trail for users from before', () => {
  it('takes each user\'s newest successful sign-in, never over a newer one, and runs once', async () => {
    const several = await insertUser();
    const newerKept = await insertUser({ lastSignInAt: at(20), lastSignInMethod: 'username', lastSignInIp: '198.51.100.1' });
    const onlyFailed = await insertUser();
    const none = await insertUser();
    const gone = new ObjectId().toHexString();
    await db()
      .collection(AUDIT_COLLECTION)
      .insertMany([
        signInEvent(several, 3, 'username'),
        signInEvent(several, 9, 'wechat'),
        signInEvent(several, 5, 'email'),
        signInEvent(several, 12, 'email', 'failure'),
        signInEvent(newerKept, 10, 'wechat-oauth'),
        signInEvent(onlyFailed, 4, 'username', 'failure'),
        signInEvent(gone, 6, 'email'),
        // Not a method we know: skipped, not stored as one.
        signInEvent(none, 7, 'carrier-pigeon'),
      ]);

    const store = new LastSignInStore(db(), silentLogger, runtime.database.capabilities);
    expect(await backfillLastSignIns(db(), store, silentLogger)).toEqual({ users: 3 });
    expect(await stored(several)).toEqual({ at: at(9), method: 'wechat', ip: '192.0.2.9' });
    expect(await stored(newerKept)).toEqual({ at: at(20), method: 'username', ip: '198.51.100.1' });
    expect(await stored(onlyFailed)).toEqual({ at: null, method: null, ip: null });
    expect(await stored(none)).toEqual({ at: null, method: null, ip: null });
    expect(await db().collection(USER_COLLECTION).countDocuments({ _id: new ObjectId(gone) })).toBe(0);

    await db().collection(AUDIT_COLLECTION).insertOne(signInEvent(none, 11, 'email'));
    expect(await backfillLastSignIns(db(), store, silentLogger)).toBe('done-before');
    expect((await stored(none)).at).toBeNull();
  });

  it('stops between events when asked to, without marking the run done', async () => {
    await db().collection(MIGRATIONS_COLLECTION).deleteMany({});
    const stop = new AbortController();
    stop.abort();
    const store = new LastSignInStore(db(), silentLogger, runtime.database.capabilities);
    expect(await backfillLastSignIns(db(), store, silentLogger, stop.signal)).toBe('stopped');
    expect(await db().collection(MIGRATIONS_COLLECTION).countDocuments()).toBe(0);
  });
});
