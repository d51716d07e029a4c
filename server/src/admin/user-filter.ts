import type { Document, Filter, ObjectId, Sort } from 'mongodb';
import type { AdminUsersQuery } from '@wechat-login/shared';

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The MongoDB filter for the admin users table. `wechatUserIds` are the users
 * with a WeChat account, looked up first because FerretDB has no $lookup.
 */
export function adminUserFilter(query: AdminUsersQuery, wechatUserIds: ObjectId[] | undefined): Filter<Document> {
  const clauses: Filter<Document>[] = [];
  if (query.search) {
    const pattern = { $regex: escapeRegex(query.search), $options: 'i' };
    clauses.push({ $or: [{ name: pattern }, { email: pattern }, { username: pattern }] });
  }
  // Users created before the admin plugin have no role: they are plain users.
  if (query.role === 'admin') clauses.push({ role: 'admin' });
  if (query.role === 'user') clauses.push({ role: { $ne: 'admin' } });
  if (query.banned === true) clauses.push({ banned: true });
  if (query.banned === false) clauses.push({ banned: { $ne: true } });
  if (query.hasWechat !== undefined && wechatUserIds) clauses.push({ _id: query.hasWechat ? { $in: wechatUserIds } : { $nin: wechatUserIds } });
  // `null` also matches users stored before the field existed: they never completed a profile either.
  if (query.profileCompleted === true) clauses.push({ profileCompletedAt: { $ne: null } });
  if (query.profileCompleted === false) clauses.push({ profileCompletedAt: null });
  return clauses.length === 0 ? {} : { $and: clauses };
}

/** A stable order: the chosen field, then _id so pages never overlap. */
export function adminUserSort(query: AdminUsersQuery): Sort {
  const direction = query.sortDirection === 'asc' ? 1 : -1;
  return { [query.sortBy]: direction, _id: direction };
}
