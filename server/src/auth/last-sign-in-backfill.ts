import type { Db } from 'mongodb';
import { LastSignInMethodSchema } from '@wechat-login/shared';
import { AUDIT_COLLECTION } from '../audit/types.js';
import type { Logger } from '../logger.js';
import type { LastSignInStore, SignInFact } from './last-sign-in-store.js';

/** Where finished one-off data migrations are marked, so each runs once per database. */
export const MIGRATIONS_COLLECTION = 'migrations';
export const LAST_SIGN_IN_BACKFILL_ID = 'last-sign-in-from-audit';

/** Sign-ins written before the next are read: bounds what is held in memory. */
const BATCH = 500;

interface SignInEvent {
  userId: string;
  at: Date;
  ip: string | null;
  details?: { method?: unknown };
}

/**
 * Users from before the last sign-in was kept get theirs from the audit trail: the newest
 * `sign-in.succeeded` of each user within its retention (AUDIT_RETENTION_DAYS). Without it every
 * existing user would read "never signed in" and the dormant filter would offer them all. A user
 * with no sign-in in the trail keeps none: they have not signed in within the retention, which is
 * what the dormant filter asks. Writes go through the store, so a live sign-in is never overwritten
 * by an older one, on any instance; the run is marked done and not repeated (two instances starting
 * together may both run it, harmlessly). `signal` stops it between events (shutdown).
 */
export async function backfillLastSignIns(db: Db, store: LastSignInStore, logger: Logger, signal?: AbortSignal): Promise<{ users: number } | 'done-before' | 'stopped'> {
  const migrations = db.collection<{ _id: string; doneAt: Date; users: number }>(MIGRATIONS_COLLECTION);
  if (await migrations.findOne({ _id: LAST_SIGN_IN_BACKFILL_ID })) return 'done-before';
  const events = db
    .collection<SignInEvent>(AUDIT_COLLECTION)
    .find({ type: 'sign-in.succeeded', userId: { $type: 'string' } }, { projection: { userId: 1, at: 1, ip: 1, 'details.method': 1 }, batchSize: BATCH })
    .sort({ at: -1 });
  const seen = new Set<string>();
  let written = 0;
  try {
    for await (const event of events) {
      if (signal?.aborted) return 'stopped';
      const method = LastSignInMethodSchema.safeParse(event.details?.method);
      if (seen.has(event.userId) || !method.success || !(event.at instanceof Date)) continue;
      seen.add(event.userId);
      const fact: SignInFact = { userId: event.userId, at: event.at, method: method.data, ip: event.ip ?? null };
      void store.record(fact);
      written += 1;
      if (written % BATCH === 0) await store.settled();
    }
  } finally {
    await events.close();
  }
  await store.settled();
  await migrations.updateOne({ _id: LAST_SIGN_IN_BACKFILL_ID }, { $set: { doneAt: new Date(), users: written } }, { upsert: true });
  if (written > 0) logger.info({ users: written }, `[API] last sign-in: filled in for ${written} users from the audit trail`);
  return { users: written };
}
