import type { Collection, Db } from 'mongodb';

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

  constructor(
    db: Db,
    private readonly now: () => number = Date.now,
    collection: string = CLAIMS_COLLECTION,
  ) {
    this.claims = db.collection<ClaimRecord>(collection);
  }

  /** True for the one caller that claimed `key` first; false for everyone after. */
  async claim(key: string, ttlMs: number, data: Record<string, string | null> = {}): Promise<boolean> {
    const createdAt = new Date(this.now());
    try {
      await this.claims.insertOne({ _id: key, data, createdAt, expiresAt: new Date(createdAt.getTime() + ttlMs) });
      return true;
    } catch (error) {
      if ((error as { code?: number }).code === 11000) return false;
      throw error;
    }
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
