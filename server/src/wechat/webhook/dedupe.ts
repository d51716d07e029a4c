import type { Db } from 'mongodb';
import { OnceClaims } from '../../db/claims.js';

export const DEDUPE_COLLECTION = 'wechat_webhook_dedupe';
/** WeChat retries within ~15 s; a day covers any retry and clock skew generously. */
export const DEDUPE_RETENTION_SECONDS = 24 * 60 * 60;

/**
 * Remembers processed pushes in MongoDB (a claim per dedupe key in a
 * collection of its own), so a retry delivered to any instance is recognised.
 */
export class WebhookDedupeStore {
  private readonly processed: OnceClaims;

  constructor(db: Db, now: () => number = Date.now) {
    this.processed = new OnceClaims(db, now, DEDUPE_COLLECTION);
  }

  /** Marks a push processed; false when another delivery got there first. */
  async remember(key: string): Promise<boolean> {
    return this.processed.claim(key, DEDUPE_RETENTION_SECONDS * 1000);
  }

  async sweepExpired(): Promise<number> {
    return this.processed.sweepExpired();
  }
}
