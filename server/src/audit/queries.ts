import { ObjectId, type Collection, type Db, type Filter } from 'mongodb';
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

/** One page of events, newest first, with the names of the users involved (a second query: FerretDB has no $lookup). */
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
  return { items: await withUserNames(db, docs), total, page: query.page, pageSize: query.pageSize };
}

/** The user's own latest sign-in attempts, successful or not. */
export async function recentSignIns(db: Db, userId: string, limit: number): Promise<AuditEvent[]> {
  const docs = await auditCollection(db)
    .find({ userId, type: { $in: ['sign-in.succeeded', 'sign-in.failed'] } })
    .sort(NEWEST_FIRST)
    .limit(limit)
    .toArray();
  return docs.map((doc) => toAuditEvent(doc, new Map()));
}

function auditCollection(db: Db): Collection<AuditDocument> {
  return db.collection<AuditDocument>(AUDIT_COLLECTION);
}

async function withUserNames(db: Db, docs: AuditDocument[]): Promise<AuditEvent[]> {
  const ids = [...new Set(docs.flatMap((doc) => [doc.userId, doc.actorId]).filter((id): id is string => id !== null && ObjectId.isValid(id) && id.length === 24))];
  const names = new Map<string, string>();
  if (ids.length > 0) {
    const users = await db
      .collection('user')
      .find({ _id: { $in: ids.map((id) => new ObjectId(id)) } }, { projection: { name: 1, username: 1, displayUsername: 1 } })
      .toArray();
    for (const user of users) names.set(String(user._id), String(user.name || user.displayUsername || user.username || ''));
  }
  return docs.map((doc) => toAuditEvent(doc, names));
}

export function toAuditEvent(doc: AuditDocument, names: Map<string, string>): AuditEvent {
  return {
    id: String(doc._id),
    type: doc.type,
    outcome: doc.outcome,
    at: doc.at,
    userId: doc.userId ?? null,
    userName: (doc.userId && names.get(doc.userId)) || null,
    actorId: doc.actorId ?? null,
    actorName: (doc.actorId && names.get(doc.actorId)) || null,
    ip: doc.ip ?? null,
    userAgent: doc.userAgent ?? null,
    details: doc.details ?? {},
  };
}
