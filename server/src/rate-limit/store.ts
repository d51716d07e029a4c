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

/** One window of one key, as this process knows it. */
interface LocalWindow {
  /** Hits this process took, and how many of them the database has. */
  mine: number;
  flushedMine: number;
  /** Other instances' hits, as of the database's last answer. */
  others: number;
  flushing: Promise<void> | null;
  resetAtMs: number;
}

/** A request waits at most this long for the shared count; then this process's own view decides. */
const SHARED_COUNT_WAIT_MS = 50;
const FLUSH_TIMEOUT_MS = 2_000;

/**
 * Fixed-window counters in MongoDB, one document per key and window, so every
 * instance behind a load balancer counts against the same budget. Each
 * process adds its hits in batches (one write in flight per key), so a burst
 * of requests never queues on one hot document, and no request waits long on
 * the database: the count is the shared total plus this process's unwritten
 * hits. Old windows expire by TTL on MongoDB and by `sweepExpired` on FerretDB.
 */
export class MongoRateLimitStore implements RateLimitStore {
  private readonly counters: Collection<CounterRecord>;
  private readonly windows = new Map<string, LocalWindow>();

  constructor(
    db: Db,
    private readonly now: () => number = Date.now,
  ) {
    this.counters = db.collection<CounterRecord>(RATE_LIMIT_COLLECTION);
  }

  async hit(key: string, windowMs: number): Promise<WindowCount> {
    const windowStart = Math.floor(this.now() / windowMs) * windowMs;
    const id = `${key}:${windowStart}`;
    const window = this.windowFor(id, windowStart + windowMs);
    // This hit's place among this process's hits is fixed now, so a burst is
    // counted exactly however the writes interleave.
    window.mine += 1;
    const position = window.mine;
    window.flushing ??= this.flush(id, window);
    await Promise.race([window.flushing, new Promise((resolve) => setTimeout(resolve, SHARED_COUNT_WAIT_MS).unref())]);
    return { count: window.others + position, resetAtMs: window.resetAtMs };
  }

  async sweepExpired(): Promise<number> {
    for (const [id, window] of this.windows) if (window.resetAtMs <= this.now() && !window.flushing) this.windows.delete(id);
    return (await this.counters.deleteMany({ expiresAt: { $lt: new Date(this.now()) } })).deletedCount;
  }

  private windowFor(id: string, resetAtMs: number): LocalWindow {
    let window = this.windows.get(id);
    if (!window) {
      window = { mine: 0, flushedMine: 0, others: 0, flushing: null, resetAtMs };
      this.windows.set(id, window);
    }
    return window;
  }

  /** Writes the unwritten hits until none are left; one such loop per window at a time. */
  private async flush(id: string, window: LocalWindow): Promise<void> {
    try {
      while (window.flushedMine < window.mine) {
        const written = window.mine;
        const total = await this.increment(id, written - window.flushedMine, new Date(window.resetAtMs));
        window.flushedMine = written;
        window.others = Math.max(window.others, total - written);
      }
    } catch {
      // The unwritten hits stay counted here and are written by the next hit's flush.
    } finally {
      window.flushing = null;
    }
  }

  private async increment(id: string, by: number, expiresAt: Date): Promise<number> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        const counter = await this.counters.findOneAndUpdate(
          { _id: id },
          { $inc: { count: by }, $setOnInsert: { expiresAt } },
          { upsert: true, returnDocument: 'after', maxTimeMS: FLUSH_TIMEOUT_MS },
        );
        return counter?.count ?? by;
      } catch (error) {
        // Two instances raced to insert the window's document: the loser increments the winner's.
        if ((error as { code?: number }).code !== 11000 || attempt > 0) throw error;
      }
    }
  }
}
