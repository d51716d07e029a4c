import type { Collection, Db, Filter } from 'mongodb';
import type { AuditEvent, AuditEventPage, AuditEventsQuery } from '@wechat-login/shared';
import type { AuditDocument } from './document.js';
import { AUDIT_COLLECTION } from './types.js';

const NEWEST_FIRST = { at: -1, _id: -1 } as const;

/** A user's history is what happened to them and what they did (as an admin). */
export function auditEventFilter(query: Pick<AuditEventsQuery, 'userId' | 'type' | 'from' | 'to'>): Filter<AuditDocument> {
  const clauses: Filter<AuditDocument>[] = [];
  if (query.userId) clauses.push({ $or: [{ userId: query.userId }, { actorId: query.userId }] });
  if (query.type) clauses.push({ type: query.type });
  if (query.from || query.to) clauses.push({ at: { ...(query.from ? { $gte: query.from } : {}), ...(query.to ? { $lte: query.to } : {}) } });
  return clauses.length === 0 ? {} : { $and: clauses };
}

/** One page of events, newest first. The names of the users involved are added by the caller, through better-auth (see admin/user-names.ts). */
export async function listAuditEvents(db: Db, query: AuditEventsQuery): Promise<AuditEventPage> {
  const events = db.collection<AuditDocument>(AUDIT_COLLECTION);
  const filter = auditEventFilter(query);
  const [docs, total] = await Promise.all([
    events
      .find(filter)
      .sort(NEWEST_FIRST)
      .skip((query.page - 1) * query.pageSize)
      .limit(query.pageSize)
      .toArray(),
    events.countDocuments(filter),
  ]);
  return { items: docs.map(toAuditEvent), total, page: query.page, pageSize: query.pageSize };
}

/** The user's own latest sign-in attempts, successful or not. */
export async function recentSignIns(db: Db, userId: string, limit: number): Promise<AuditEvent[]> {
  const docs = await auditCollection(db)
    .find({ userId, type: { $in: ['sign-in.succeeded', 'sign-in.failed'] } })
    .sort(NEWEST_FIRST)
    .limit(limit)
    .toArray();
  return docs.map(toAuditEvent);
}

function auditCollection(db: Db): Collection<AuditDocument> {
  return db.collection<AuditDocument>(AUDIT_COLLECTION);
}

/** The stored event as the API shows it; `userName`/`actorName` are filled in later, where names are wanted. */
export function toAuditEvent(doc: AuditDocument): AuditEvent {
  return {
    id: String(doc._id),
    type: doc.type,
    outcome: doc.outcome,
    at: doc.at,
    userId: doc.userId ?? null,
    userName: null,
    actorId: doc.actorId ?? null,
    actorName: null,
    ip: doc.ip ?? null,
    userAgent: doc.userAgent ?? null,
    details: doc.details ?? {},
  };
}
