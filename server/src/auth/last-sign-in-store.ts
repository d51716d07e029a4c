import type { AnyBulkWriteOperation, Collection, Db, Document, Filter } from 'mongodb';
import { ObjectId } from 'mongodb';
import type { LastSignInMethod } from '@wechat-login/shared';
import { GroupCommit, resultsOfFailedBulk, type BatchResults } from '../db/group-commit.js';
import type { DatabaseCapabilities } from '../db/capabilities.js';
import { KeyLocks } from '../db/key-locks.js';
import type { Logger } from '../logger.js';

/** The user's fields that hold their latest successful sign-in (declared to better-auth by lastSignInTracking). */
export const LAST_SIGN_IN_FIELDS = { at: 'lastSignInAt', method: 'lastSignInMethod', ip: 'lastSignInIp' } as const;

/** better-auth's user collection (its default model name; the indexes in db/indexes.ts use it too). */
export const USER_COLLECTION = 'user';

/** Where FerretDB's per-user write locks live (see KeyLocks); empty between writes. */
export const LAST_SIGN_IN_LOCKS_COLLECTION = 'last_sign_in_locks';

export interface SignInFact {
  userId: string;
  at: Date;
  method: LastSignInMethod;
  ip: string | null;
}

/**
 * The filter that lets a sign-in replace the stored one only when it is newer: a later write of an
 * older sign-in (another instance, a delayed batch, the audit backfill) changes nothing, so
 * `lastSignInAt` never moves backwards. `null` matches a missing field and an explicit null alike,
 * on MongoDB and on FerretDB (no `$max`, whose handling of a missing field and of the fields that
 * must follow it is not the same everywhere).
 */
export function newerSignInFilter(userId: ObjectId, at: Date): Filter<Document> {
  return { _id: userId, $or: [{ [LAST_SIGN_IN_FIELDS.at]: null }, { [LAST_SIGN_IN_FIELDS.at]: { $lt: at } }] };
}

export function signInUpdate(fact: SignInFact): AnyBulkWriteOperation<Document> {
  return {
    updateOne: {
      filter: newerSignInFilter(new ObjectId(fact.userId), fact.at),
      update: { $set: { [LAST_SIGN_IN_FIELDS.at]: fact.at, [LAST_SIGN_IN_FIELDS.method]: fact.method, [LAST_SIGN_IN_FIELDS.ip]: fact.ip } },
    },
  };
}

const OBJECT_ID = /^[0-9a-f]{24}$/i;

/**
 * Keeps each user's latest successful sign-in on the user. The writes of concurrent sign-ins share
 * one unordered bulkWrite (GroupCommit), as the scan writes of the webhook do, and each update is
 * conditional (newerSignInFilter), so instances writing in any order agree.
 *
 * On MongoDB the sign-in does not wait for its write: `record` resolves at once. FerretDB v1 runs an
 * update as find-then-write of the whole document (two concurrent `$set`s of different fields of one
 * user lost one of them in 15 of 60 tries), so there the write is serialized per user (KeyLocks) and
 * awaited: otherwise it could land over the name and avatar the WeChat sign-in fills in right after
 * the session starts, or an older sign-in over a newer one. That costs the sign-in a few
 * milliseconds there (8–11 ms measured on the loaded test machine).
 */
export class LastSignInStore {
  private readonly users: Collection<Document>;
  private readonly commits: GroupCommit<SignInFact, void>;
  private readonly pending = new Set<Promise<void>>();
  private readonly locks: KeyLocks | undefined;

  constructor(
    db: Db,
    private readonly logger: Logger,
    capabilities: Pick<DatabaseCapabilities, 'atomicConditionalWrites'>,
  ) {
    this.users = db.collection(USER_COLLECTION);
    this.commits = new GroupCommit((facts) => this.writeBatch(facts));
    this.locks = capabilities.atomicConditionalWrites ? undefined : new KeyLocks(db, LAST_SIGN_IN_LOCKS_COLLECTION);
  }

  /**
   * Stores the sign-in; resolves when the sign-in may go on (see above). Never rejects: a failure
   * is logged, never the sign-in's problem.
   */
  record(fact: SignInFact): Promise<void> {
    if (!OBJECT_ID.test(fact.userId)) return Promise.resolve();
    const write = this.commits.submit(fact).catch((error: unknown) => {
      this.logger.error({ err: { message: (error as Error).message, code: (error as { code?: unknown }).code } }, '[API] last sign-in: could not store a sign-in');
    });
    this.pending.add(write);
    void write.finally(() => this.pending.delete(write));
    return this.locks ? write : Promise.resolve();
  }

  /**
   * Resolves once the sign-ins recorded in this process before the call are written (or failed):
   * read-your-writes for the admin pages and shutdown. Later ones are not waited for, so a steady
   * stream of sign-ins cannot hold a page back.
   */
  async settled(): Promise<void> {
    await Promise.all([...this.pending]);
  }

  private async writeBatch(facts: SignInFact[]): Promise<BatchResults<void>> {
    // Two sign-ins of one user in a batch: only the newest needs writing.
    const newest = new Map<string, SignInFact>();
    for (const fact of facts) if ((newest.get(fact.userId)?.at.getTime() ?? -Infinity) < fact.at.getTime()) newest.set(fact.userId, fact);
    const byUser = await this.writeNewest([...newest.values()]);
    return facts.map((fact) => byUser.get(fact.userId) ?? { ok: true, outcome: undefined });
  }

  /** Writes one sign-in per user; answers the failures by user. */
  private async writeNewest(facts: SignInFact[]): Promise<Map<string, BatchResults<void>[number]>> {
    const results = new Map<string, BatchResults<void>[number]>();
    const write = async (batch: SignInFact[]) => {
      try {
        await this.users.bulkWrite(batch.map(signInUpdate), { ordered: false });
      } catch (error) {
        const perFact = resultsOfFailedBulk<void>(error, batch.length, undefined, (code) => ({ ok: false, error: Object.assign(new Error(`last sign-in update refused (code ${code})`), { code, cause: error }) }));
        batch.forEach((fact, index) => results.set(fact.userId, perFact[index]!));
      }
    };
    if (!this.locks) {
      await write(facts);
      return results;
    }
    const byId = new Map(facts.map((fact) => [fact.userId, fact]));
    await this.locks.forEachLocked([...byId.keys()], (locked) => write(locked.map((id) => byId.get(id)!)));
    return results;
  }
}
