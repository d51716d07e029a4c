import { createHash } from 'node:crypto';
import { ObjectId, type Collection } from 'mongodb';
import type { Logger } from '../logger.js';
import type { AuditDocument } from './document.js';
import { sanitizeEvent, type SanitizedEvent } from './sanitize.js';
import type { AuditEventInput } from './types.js';

/** The detail that carries how many times the event happened in its window. */
export const COUNT_DETAIL = 'count';

const WRITE_TIMEOUT_MS = 5_000;
const DUPLICATE_KEY = 11000;

interface PendingCount {
  id: ObjectId;
  event: SanitizedEvent;
  firstAtMs: number;
  /** Occurrences not yet added to the stored event. */
  count: number;
}

/**
 * Events a flood repeats (refused webhook pushes) stored as one event per type, outcome, IP and
 * details in a fixed window, with `details.count`: thousands of forged pushes leave one line in the
 * Activity page instead of burying the real events for the whole retention.
 *
 * The event's `_id` is derived from the window and what it groups by, so every instance adds to
 * the same document: an upsert with `$inc`, where two instances racing to create it leave one
 * inserting and the other (duplicate key 11000) incrementing, as the rate-limit counters do (on
 * FerretDB, which applies $inc as read-then-write, an increment racing another may be lost, so the
 * count is a lower bound there; MongoDB's is exact). Each
 * process adds its occurrences in memory and writes them with the audit log's batches, so a flood
 * costs one write per group per flush, never one per request. The user agent is left out of the
 * grouping (a script can vary it at will); the first one is kept.
 */
export class CountedEvents {
  private pending = new Map<string, PendingCount>();

  constructor(
    private readonly events: Collection<AuditDocument>,
    private readonly options: { logger: Logger; retentionMs: number; now: () => number; maxPending: number },
  ) {}

  get size(): number {
    return this.pending.size;
  }

  /** Counts one occurrence; never touches the database. */
  add(input: AuditEventInput, windowMs: number): void {
    const nowMs = this.options.now();
    const windowStartMs = Math.floor(nowMs / windowMs) * windowMs;
    const sanitized = sanitizeEvent(input);
    // The count is ours to keep: a caller's `count` detail would forge it (and split the group).
    const details = { ...sanitized.details };
    delete details[COUNT_DETAIL];
    const event: SanitizedEvent = { ...sanitized, details };
    const groupKey = JSON.stringify([windowStartMs, event.type, event.outcome, event.userId, event.actorId, event.ip, Object.entries(event.details).sort()]);
    const existing = this.pending.get(groupKey);
    if (existing) {
      existing.count += 1;
      return;
    }
    if (this.pending.size >= this.options.maxPending) {
      this.options.logger.error({ type: event.type, pending: this.pending.size }, '[API] audit: too many counted events waiting (database unreachable?); dropped one');
      return;
    }
    this.pending.set(groupKey, { id: eventIdFor(groupKey, windowStartMs), event, firstAtMs: nowMs, count: 1 });
  }

  /** Adds every waiting count to its stored event (creating it the first time). Never rejects. */
  async write(): Promise<void> {
    const batch = [...this.pending.values()];
    this.pending = new Map();
    for (const pending of batch) {
      try {
        await this.increment(pending);
      } catch (error) {
        this.options.logger.error(
          { err: { message: (error as Error).message, code: (error as { code?: unknown }).code }, type: pending.event.type, dropped: pending.count },
          '[API] audit: could not store a counted event; dropped its count',
        );
      }
    }
  }

  private async increment(pending: PendingCount): Promise<void> {
    const { event, firstAtMs } = pending;
    const at = new Date(firstAtMs);
    // `$setOnInsert` and `$inc` write different paths under `details`: `details.count` is ours alone.
    // FerretDB 1.24 leaves null values of `$setOnInsert` out of the document; readers take a missing
    // userId, actorId, ip or userAgent as null (see toAuditEvent), so both databases read the same.
    const onInsert: Record<string, unknown> = {
      type: event.type,
      outcome: event.outcome,
      userId: event.userId,
      actorId: event.actorId,
      ip: event.ip,
      userAgent: event.userAgent,
      at,
      expiresAt: new Date(firstAtMs + this.options.retentionMs),
    };
    for (const [key, value] of Object.entries(event.details)) onInsert[`details.${key}`] = value;
    const update = { $setOnInsert: onInsert, $inc: { [`details.${COUNT_DETAIL}`]: pending.count } };
    for (let attempt = 0; ; attempt += 1) {
      try {
        await this.events.updateOne({ _id: pending.id }, update, { upsert: true, maxTimeMS: WRITE_TIMEOUT_MS });
        return;
      } catch (error) {
        // Another instance created the event between our look and our insert: add to theirs.
        if ((error as { code?: unknown }).code !== DUPLICATE_KEY || attempt > 0) throw error;
      }
    }
  }
}

/**
 * The same id for the same group and window on every instance: the window's start as the
 * ObjectId's time (so ids still sort by time), then 8 bytes of a hash of what is grouped.
 */
function eventIdFor(groupKey: string, windowStartMs: number): ObjectId {
  const bytes = Buffer.alloc(12);
  bytes.writeUInt32BE(Math.floor(windowStartMs / 1000));
  createHash('sha256').update(groupKey).digest().copy(bytes, 4, 0, 8);
  return new ObjectId(bytes);
}
