import { ObjectId, type Collection, type Db } from 'mongodb';
import type { AuditEventPage, AuditEventsQuery, AuditEvent } from '@wechat-login/shared';
import type { Logger } from '../logger.js';
import { sanitizeEvent } from './sanitize.js';
import { listAuditEvents, recentSignIns } from './queries.js';
import { AUDIT_COLLECTION, type AuditEventInput, type CountingAuditRecorder } from './types.js';
import type { AuditDocument } from './document.js';
import { CountedEvents } from './counted-events.js';

export interface AuditLogOptions {
  logger: Logger;
  /** How long events are kept; they carry `expiresAt` for the TTL index and the sweep. */
  retentionDays: number;
  /** A batch is written this long after its first event at the latest... */
  flushIntervalMs?: number;
  /** ...or as soon as it holds this many events. */
  batchSize?: number;
  /** Events held in memory while the database is down; beyond it the oldest are dropped (and logged). */
  maxBufferedEvents?: number;
  now?: () => number;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const WRITE_TIMEOUT_MS = 5_000;
const RETRY_DELAY_MS = 250;

/**
 * The audit trail in MongoDB (`audit_events`). `record` only queues the event:
 * hot paths like the webhook never wait on a database round trip, and a
 * database outage never fails a sign-in. Queued events are written with
 * insertMany every `flushIntervalMs` or every `batchSize` events; a batch that
 * fails twice is logged and dropped. Ids are assigned when an event is
 * recorded, so a retry after a write that did land cannot store it twice.
 */
export class AuditLog implements CountingAuditRecorder {
  private readonly db: Db;
  private readonly events: Collection<AuditDocument>;
  private readonly logger: Logger;
  private readonly retentionMs: number;
  private readonly flushIntervalMs: number;
  private readonly batchSize: number;
  private readonly maxBufferedEvents: number;
  private readonly now: () => number;
  private buffer: AuditDocument[] = [];
  /** Occurrences of counted events, written with the batches. */
  private readonly counted: CountedEvents;
  private timer: NodeJS.Timeout | undefined;
  /** The write chain: each flush starts after the previous one ended, so batches land in order. */
  private writing: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(db: Db, options: AuditLogOptions) {
    this.db = db;
    this.events = db.collection<AuditDocument>(AUDIT_COLLECTION);
    this.logger = options.logger;
    this.retentionMs = options.retentionDays * DAY_MS;
    this.flushIntervalMs = options.flushIntervalMs ?? 200;
    this.batchSize = options.batchSize ?? 100;
    this.maxBufferedEvents = options.maxBufferedEvents ?? 10_000;
    this.now = options.now ?? Date.now;
    this.counted = new CountedEvents(this.events, { logger: this.logger, retentionMs: this.retentionMs, now: this.now, maxPending: this.maxBufferedEvents });
  }

  /** Queues one event. Never throws and never waits: auditing must not break what it audits. */
  record(event: AuditEventInput): void {
    try {
      if (this.closed) {
        this.logger.warn({ type: event.type }, '[API] audit event recorded after close; dropped');
        return;
      }
      const at = new Date(this.now());
      this.buffer.push({ _id: new ObjectId(), ...sanitizeEvent(event), at, expiresAt: new Date(at.getTime() + this.retentionMs) });
      if (this.buffer.length > this.maxBufferedEvents) {
        const dropped = this.buffer.splice(0, this.buffer.length - this.maxBufferedEvents);
        this.logger.error({ dropped: dropped.length }, '[API] audit buffer full (database unreachable?); dropped the oldest events');
      }
      this.scheduleFlush();
    } catch (error) {
      this.logger.error({ err: { message: (error as Error).message }, type: event?.type }, '[API] audit event could not be queued');
    }
  }

  /** Counts one occurrence of an event anyone can repeat (see CountedEvents). Never throws and never waits. */
  recordCounted(event: AuditEventInput, windowMs: number): void {
    try {
      if (this.closed) {
        this.logger.warn({ type: event.type }, '[API] audit event recorded after close; dropped');
        return;
      }
      this.counted.add(event, windowMs);
      this.scheduleFlush();
    } catch (error) {
      this.logger.error({ err: { message: (error as Error).message }, type: event?.type }, '[API] audit event could not be counted');
    }
  }

  private scheduleFlush(): void {
    if (this.buffer.length + this.counted.size >= this.batchSize) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), this.flushIntervalMs).unref();
  }

  /** Writes everything recorded so far; resolves once it is stored (or logged and dropped). Never rejects. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.writing = this.writing.then(() => this.writeBuffered());
    return this.writing;
  }

  /** Writes this process's queued events first, so an admin sees the action they just took. */
  async list(query: AuditEventsQuery): Promise<AuditEventPage> {
    await this.flush();
    return listAuditEvents(this.db, query);
  }

  /** The user's own most recent sign-in attempts, for their account page (their sign-in a moment ago included). */
  async recentSignIns(userId: string, limit: number): Promise<AuditEvent[]> {
    await this.flush();
    return recentSignIns(this.db, userId, limit);
  }

  /** Deletes events past retention; the TTL index does this on MongoDB, this sweep everywhere (FerretDB has no TTL). */
  async sweepExpired(): Promise<number> {
    return (await this.events.deleteMany({ expiresAt: { $lt: new Date(this.now()) } })).deletedCount;
  }

  /** Stops taking events and writes the ones still queued. */
  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
  }

  private async writeBuffered(): Promise<void> {
    while (this.buffer.length > 0) {
      const batch = this.buffer.splice(0, this.batchSize);
      await this.writeBatch(batch);
    }
    await this.counted.write();
  }

  private async writeBatch(batch: AuditDocument[]): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.events.insertMany(batch, { ordered: false, maxTimeMS: WRITE_TIMEOUT_MS });
        return;
      } catch (error) {
        // A retry of a write that partly landed: the other events went in, the stored ones are themselves.
        if (onlyDuplicateKeys(error)) return;
        if (attempt >= 2) {
          this.logger.error(
            { err: { message: (error as Error).message, code: (error as { code?: unknown }).code }, dropped: batch.length, types: [...new Set(batch.map((e) => e.type))] },
            '[API] audit: could not write a batch of events after a retry; dropped them',
          );
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS).unref());
      }
    }
  }
}

/** True when every write error of a bulk insert is a duplicate _id (code 11000). */
function onlyDuplicateKeys(error: unknown): boolean {
  const writeErrors = (error as { writeErrors?: { code?: number }[] | { code?: number } }).writeErrors;
  const list = Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : [];
  if (list.length > 0) return list.every((writeError) => writeError.code === 11000);
  return (error as { code?: unknown }).code === 11000;
}
