import type { Collection, Db } from 'mongodb';

export const DEDUPE_COLLECTION = 'wechat_webhook_dedupe';
/** WeChat retries within ~15 s; a day covers any retry and clock skew generously. */
export const DEDUPE_RETENTION_SECONDS = 24 * 60 * 60;

interface DedupeRecord {
  _id: string;
  createdAt: Date;
  expiresAt: Date;
}

/**
 * Remembers processed pushes in MongoDB so a retry delivered to any instance
 * is recognised. Records expire by TTL index on MongoDB, by sweep on FerretDB.
 */
export class WebhookDedupeStore {
  private readonly records: Collection<DedupeRecord>;

  constructor(
    db: Db,
    private readonly now: () => number = Date.now,
  ) {
    this.records = db.collection<DedupeRecord>(DEDUPE_COLLECTION);
  }

  async seen(key: string): Promise<boolean> {
    const record = await this.records.findOne({ _id: key });
    return record !== null && record.expiresAt.getTime() > this.now();
  }

  /** Marks a push processed; false when another delivery got there first. */
  async remember(key: string): Promise<boolean> {
    const createdAt = new Date(this.now());
    try {
      await this.records.insertOne({ _id: key, createdAt, expiresAt: new Date(createdAt.getTime() + DEDUPE_RETENTION_SECONDS * 1000) });
      return true;
    } catch (error) {
      if ((error as { code?: number }).code === 11000) return false;
      throw error;
    }
  }

  async sweepExpired(): Promise<number> {
    return (await this.records.deleteMany({ expiresAt: { $lt: new Date(this.now()) } })).deletedCount;
  }
}
