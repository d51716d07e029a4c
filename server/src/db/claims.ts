import type { Collection, Db } from 'mongodb';
import { GroupInsert } from './group-insert.js';

export const CLAIMS_COLLECTION = 'claims';

interface ClaimRecord {
  _id: string;
  /** Free-form facts about the claim, e.g. which WeChat user scanned. */
  data: Record<string, string | null>;
  createdAt: Date;
  expiresAt: Date;
}

export interface Claim {
  data: Record<string, string | null>;
  createdAt: Date;
}

/**
 * "Exactly one caller wins" on any MongoDB-compatible server. FerretDB v1 runs
 * a conditional update as find-then-write, so two concurrent
 * findOneAndUpdate({status:'scanned'}) calls can both succeed there; an insert
 * of the same `_id` cannot, on FerretDB or MongoDB. Every once-only step
 * (consume a scene, record its scan, refresh the token) claims a key first.
 */
export class OnceClaims {
  private readonly claims: Collection<ClaimRecord>;
  /** Concurrent claims (a burst of scans) share one insertMany; each still wins or loses on its own. */
  private readonly inserts: GroupInsert<ClaimRecord>;

  constructor(
    db: Db,
    private readonly now: () => number = Date.now,
    collection: string = CLAIMS_COLLECTION,
  ) {
    this.claims = db.collection<ClaimRecord>(collection);
    this.inserts = new GroupInsert(this.claims);
  }

  /** True for the one caller that claimed `key` first; false for everyone after. */
  async claim(key: string, ttlMs: number, data: Record<string, string | null> = {}): Promise<boolean> {
    const createdAt = new Date(this.now());
    return (await this.inserts.insert({ _id: key, data, createdAt, expiresAt: new Date(createdAt.getTime() + ttlMs) })) === 'inserted';
  }

  /** The live claim on `key`, or null (also once it expired, even if no sweep deleted it yet). */
  async read(key: string): Promise<Claim | null> {
    const record = await this.claims.findOne({ _id: key });
    if (!record || record.expiresAt.getTime() <= this.now()) return null;
    return { data: record.data, createdAt: record.createdAt };
  }

  async sweepExpired(): Promise<number> {
    return (await this.claims.deleteMany({ expiresAt: { $lt: new Date(this.now()) } })).deletedCount;
  }
}
