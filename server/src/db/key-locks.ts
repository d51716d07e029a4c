import type { Collection, Db } from 'mongodb';
import { indexedWriteErrors } from './group-commit.js';

interface LockRecord {
  _id: string;
  expiresAt: Date;
}

const DUPLICATE_KEY = 11000;
/** A holder that died (or hangs) past this loses its lock to the next writer. */
const DEFAULT_HOLD_MS = 10_000;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms).unref());

/**
 * One writer per key at a time, across instances, where the database cannot make a conditional
 * update atomic: FerretDB v1 runs `updateOne({_id, field: {$lt: x}}, ...)` as find-then-write, so two
 * writers can both pass the condition and the older one can land last. A lock is an insert of the
 * key as `_id` (atomic on FerretDB as on MongoDB, see OnceClaims); a writer that finds it taken waits
 * a little and tries again. A lock left by a dead holder expires.
 */
export class KeyLocks {
  private readonly locks: Collection<LockRecord>;

  constructor(
    db: Db,
    collection: string,
    private readonly holdMs = DEFAULT_HOLD_MS,
  ) {
    this.locks = db.collection<LockRecord>(collection);
  }

  /** Calls `write` with the keys it holds, batch after batch, until every key was written once; locks are released after each call. */
  async forEachLocked(keys: readonly string[], write: (locked: string[]) => Promise<void>): Promise<void> {
    let waiting = [...new Set(keys)];
    for (let round = 0; waiting.length > 0; round += 1) {
      if (round > 0) {
        await this.locks.deleteMany({ _id: { $in: waiting }, expiresAt: { $lt: new Date() } });
        await pause(Math.min(2 * round, 50));
      }
      const locked = await this.lock(waiting);
      if (locked.length === 0) continue;
      try {
        await write(locked);
      } finally {
        await this.locks.deleteMany({ _id: { $in: locked } });
      }
      const done = new Set(locked);
      waiting = waiting.filter((key) => !done.has(key));
    }
  }

  /** The keys this call locked: the others are held by someone else. */
  private async lock(keys: string[]): Promise<string[]> {
    const expiresAt = new Date(Date.now() + this.holdMs);
    try {
      await this.locks.insertMany(
        keys.map((key) => ({ _id: key, expiresAt })),
        { ordered: false },
      );
      return keys;
    } catch (error) {
      const failed = indexedWriteErrors(error);
      if (!failed || failed.some((writeError) => writeError.code !== DUPLICATE_KEY)) throw error;
      const taken = new Set(failed.map((writeError) => writeError.index));
      return keys.filter((_, index) => !taken.has(index));
    }
  }
}
