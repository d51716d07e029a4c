import { ObjectId, type Db, type Document, type Filter, type Sort } from 'mongodb';
import type { BetterAuthDBSchema } from '@better-auth/core/db';
import type { AdminUsersQuery } from '@wechat-login/shared';

/**
 * The admin users table's one query that better-auth's adapter cannot express: its filters, and a
 * sort on the chosen field *then* the id, so that users with equal values (no username, one name)
 * never appear on two pages or on none. It answers ids only; the users themselves are read through
 * better-auth's adapter. Collection and field names come from better-auth's own schema
 * (`AuthContext.tables`), so a plugin's `schema` rename still works. Read-only: every write goes
 * through better-auth, where its database hooks run.
 */
export class UserDirectory {
  constructor(
    private readonly db: Db,
    private readonly tables: BetterAuthDBSchema,
  ) {}

  /** One page of user ids in the table's order, and how many users match. */
  async findUserIds(query: AdminUsersQuery, wechatProviderId: string): Promise<{ ids: string[]; total: number }> {
    const users = this.db.collection(this.collection('user'));
    const withWechat = query.hasWechat === undefined ? undefined : await this.userIdsWithProvider(wechatProviderId);
    const filter = this.userFilter(query, withWechat);
    const [docs, total] = await Promise.all([
      users.find(filter, { projection: { _id: 1 } }).sort(this.userSort(query)).skip(query.offset).limit(query.limit).toArray(),
      users.countDocuments(filter),
    ]);
    return { ids: docs.map((doc) => String(doc._id)), total };
  }

  /** Ids of the users with an account of this provider (FerretDB has no $lookup: this is looked up first). */
  private async userIdsWithProvider(providerId: string): Promise<ObjectId[]> {
    const accounts = this.db.collection(this.collection('account'));
    return (await accounts.distinct(this.field('account', 'userId'), { [this.field('account', 'providerId')]: providerId })) as ObjectId[];
  }

  private userFilter(query: AdminUsersQuery, withWechat: ObjectId[] | undefined): Filter<Document> {
    const field = (name: string) => this.field('user', name);
    const clauses: Filter<Document>[] = [];
    if (query.search) {
      const pattern = { $regex: escapeRegex(query.search), $options: 'i' };
      clauses.push({ $or: [{ [field('name')]: pattern }, { [field('email')]: pattern }, { [field('username')]: pattern }] });
    }
    // Users created before the admin plugin have no role: they are plain users.
    if (query.role === 'admin') clauses.push({ [field('role')]: 'admin' });
    if (query.role === 'user') clauses.push({ [field('role')]: { $ne: 'admin' } });
    if (query.banned === true) clauses.push({ [field('banned')]: true });
    if (query.banned === false) clauses.push({ [field('banned')]: { $ne: true } });
    if (withWechat) clauses.push({ _id: query.hasWechat ? { $in: withWechat } : { $nin: withWechat } });
    // `null` also matches users stored before the field existed: they never completed a profile either.
    if (query.profileCompleted === true) clauses.push({ [field('profileCompletedAt')]: { $ne: null } });
    if (query.profileCompleted === false) clauses.push({ [field('profileCompletedAt')]: null });
    return clauses.length === 0 ? {} : { $and: clauses };
  }

  private userSort(query: AdminUsersQuery): Sort {
    const direction = query.sortDirection === 'asc' ? 1 : -1;
    return { [this.field('user', query.sortBy)]: direction, _id: direction };
  }

  private collection(model: 'user' | 'account'): string {
    return this.tables[model]?.modelName ?? model;
  }

  private field(model: 'user' | 'account', name: string): string {
    return this.tables[model]?.fields[name]?.fieldName ?? name;
  }
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
