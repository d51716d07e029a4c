import type { AuditDetailValue, AuditEventType, AuditOutcome } from '@wechat-login/shared';

export type { AuditEventType, AuditOutcome } from '@wechat-login/shared';

export const AUDIT_COLLECTION = 'audit_events';

/** What a caller hands to `AuditLog.record`; the log adds the time and sanitizes the rest. */
export interface AuditEventInput {
  type: AuditEventType;
  outcome: AuditOutcome;
  /** The user the event is about. */
  userId?: string | null;
  /** Who did it, when that is someone else (the admin of an admin action). */
  actorId?: string | null;
  ip?: string | null;
  userAgent?: string | null;
  /** Flat facts: an error code, a sign-in method, changed field names. Never a secret: keys that look like one are dropped. */
  details?: Record<string, AuditDetailValue>;
}

/** The narrow face of the audit log that producers need, so a module can take a fake in unit tests. */
export interface AuditRecorder {
  record(event: AuditEventInput): void;
}

/** A recorder that also stores a flood of one event as one event with a count. */
export interface CountingAuditRecorder extends AuditRecorder {
  /**
   * Records `event` at most once per `windowMs` for its type, outcome, IP and details; repeats in the
   * window add to its `details.count` (across instances). For what anyone can repeat at will, such
   * as refused webhook pushes. Never throws and never waits, like `record`.
   */
  recordCounted(event: AuditEventInput, windowMs: number): void;
}
