import type { ObjectId } from 'mongodb';
import type { SanitizedEvent } from './sanitize.js';

/** One `audit_events` document. Ids are strings (ObjectId hex) so filters need no conversion. */
export interface AuditDocument extends SanitizedEvent {
  _id: ObjectId;
  at: Date;
  /** When retention ends: a TTL index deletes it on MongoDB, `sweepExpired` everywhere. */
  expiresAt: Date;
}
