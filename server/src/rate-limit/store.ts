import type { Collection, Db } from 'mongodb';

export const RATE_LIMIT_COLLECTION = 'rate_limits';

export interface WindowCount {
  count: number;
  resetAtMs: number;
}

/** Counts hits per key in fixed windows. Shared by every instance when backed by MongoDB. */
export interface RateLimitStore {
  hit(key: string, windowMs: number): Promise<WindowCount>;
}

interface CounterRecord {
  _id: string;
  count: number;
  expiresAt: Date;
}

/**
 * Fixed-window counters in MongoDB: one document per key and window, so every
 * instance behind a load balancer counts against the same budget. Old windows
 * expire by TTL index on MongoDB and by `sweepExpired` on FerretDB.
 */
export class MongoRateLimitStore implements RateLimitStore {
  private readonly counters: Collection<CounterRecord>;

  constructor(
    db: Db,
    private readonly now: () => number = Date.now,
  ) {
    this.counters = db.collection<CounterRecord>(RATE_LIMIT_COLLECTION);
  }

  async hit(key: string, windowMs: number): Promise<WindowCount> {
    const windowStart = Math.floor(this.now() / windowMs) * windowMs;
    const resetAtMs = windowStart + windowMs;
    const _id = `${key}:${windowStart}`;
    for (let attempt = 0; ; attempt += 1) {
      try {
        const counter = await this.counters.findOneAndUpdate(
          { _id },
          { $inc: { count: 1 }, $setOnInsert: { expiresAt: new Date(resetAtMs) } },
          { upsert: true, returnDocument: 'after' },
        );
        return { count: counter?.count ?? 1, resetAtMs };
      } catch (error) {
        // Two first hits of a window raced to insert: the loser increments the winner's document.
        if ((error as { code?: number }).code !== 11000 || attempt > 0) throw error;
      }
    }
  }

  async sweepExpired(): Promise<number> {
    return (await this.counters.deleteMany({ expiresAt: { $lt: new Date(this.now()) } })).deletedCount;
  }
}
