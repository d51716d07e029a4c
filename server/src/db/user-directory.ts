import { ObjectId, type Collection, type Db, type Document, type Filter, type Sort } from 'mongodb';
import type { BetterAuthDBSchema } from '@better-auth/core/db';
import type { AdminUsersQuery } from '@wechat-login/shared';

/** The table's filters and order, without its paging: what the page and the CSV export share. */
export type UserListOrder = Omit<AdminUsersQuery, 'limit' | 'offset'>;

/** One slice of the users in table order: the ones with a last sign-in, or the ones without. */
interface OrderedPart {
  filter: Filter<Document>;
  sort: Sort;
}

/**
 * The admin users table's one query that better-auth's adapter cannot express: its filters, and a
 * sort on the chosen field *then* the id, so that users with equal values (no username, one name)
 * never appear on two pages or on none. For a page it answers ids only (the users themselves are
 * read through better-auth's adapter); for the CSV export, whole users batch by batch from one
 * cursor. Collection and field names come from better-auth's own schema (`AuthContext.tables`), so a
 * plugin's `schema` rename still works. Read-only: every write goes through better-auth, where its
 * database hooks run (the last sign-in, see LastSignInStore, is the one write of its own).
 */
export class UserDirectory {
  constructor(
    private readonly db: Db,
    private readonly tables: BetterAuthDBSchema,
  ) {}

  /** One page of user ids in the table's order, and how many users match. */
  async findUserIds(query: AdminUsersQuery, wechatProviderId: string): Promise<{ ids: string[]; total: number }> {
    const users = this.users();
    const parts = await this.orderedParts(query, wechatProviderId);
    const [first, second] = parts;
    if (!second) {
      const [docs, total] = await Promise.all([this.idsOf(users, first!, query.offset, query.limit), users.countDocuments(first!.filter)]);
      return { ids: docs, total };
    }
    // Users who never signed in come last whichever the direction: the page may straddle both parts.
    const [signedIn, never] = await Promise.all([users.countDocuments(first!.filter), users.countDocuments(second.filter)]);
    const ids = query.offset < signedIn ? await this.idsOf(users, first!, query.offset, query.limit) : [];
    if (ids.length < query.limit) ids.push(...(await this.idsOf(users, second, Math.max(0, query.offset - signedIn), query.limit - ids.length)));
    return { ids, total: signedIn + never };
  }

  /**
   * Every matching user in the table's order, in batches of at most `batchSize`, read from a cursor
   * as the caller asks for more (the CSV export: never every user in memory at once). Each user comes
   * as better-auth's adapter would give it: `id` and the schema's fields under their own names. Read
   * here rather than by id through the adapter: FerretDB scans the collection for every `$in`.
   */
  async *userBatches(query: UserListOrder, wechatProviderId: string, batchSize: number): AsyncGenerator<Record<string, unknown>[]> {
    const users = this.users();
    const fields = Object.entries(this.tables.user?.fields ?? {}).map(([name, attribute]) => [name, attribute.fieldName ?? name] as const);
    for (const part of await this.orderedParts(query, wechatProviderId)) {
      const cursor = users.find(part.filter, { batchSize }).sort(part.sort);
      try {
        let batch: Record<string, unknown>[] = [];
        for await (const doc of cursor) {
          batch.push(Object.fromEntries([['id', String(doc._id)], ...fields.map(([name, stored]) => [name, doc[stored]])]));
          if (batch.length >= batchSize) {
            yield batch;
            batch = [];
          }
        }
        if (batch.length > 0) yield batch;
      } finally {
        await cursor.close();
      }
    }
  }

  /**
   * The matching users as one sorted part, or, sorted by last sign-in, two: those who signed in
   * (in the chosen direction) then those who never did. MongoDB sorts a missing value first going
   * up; an admin looking for the oldest sign-ins wants real dates first, not every fresh account.
   */
  private async orderedParts(query: UserListOrder, wechatProviderId: string): Promise<OrderedPart[]> {
    const withWechat = query.hasWechat === undefined ? undefined : await this.userIdsWithProvider(wechatProviderId);
    const filter = this.userFilter(query, withWechat);
    const direction = query.sortDirection === 'asc' ? 1 : -1;
    if (query.sortBy !== 'lastSignInAt') return [{ filter, sort: { [this.field('user', query.sortBy)]: direction, _id: direction } }];
    const at = this.field('user', 'lastSignInAt');
    return [
      { filter: { $and: [filter, { [at]: { $ne: null } }] }, sort: { [at]: direction, _id: direction } },
      { filter: { $and: [filter, { [at]: null }] }, sort: { _id: direction } },
    ];
  }

  private async idsOf(users: Collection<Document>, part: OrderedPart, skip: number, limit: number): Promise<string[]> {
    const docs = await users.find(part.filter, { projection: { _id: 1 } }).sort(part.sort).skip(skip).limit(limit).toArray();
    return docs.map((doc) => String(doc._id));
  }

  private users(): Collection<Document> {
    return this.db.collection(this.collection('user'));
  }

  /** Ids of the users with an account of this provider (FerretDB has no $lookup: this is looked up first). */
  private async userIdsWithProvider(providerId: string): Promise<ObjectId[]> {
    const accounts = this.db.collection(this.collection('account'));
    return (await accounts.distinct(this.field('account', 'userId'), { [this.field('account', 'providerId')]: providerId })) as ObjectId[];
  }

  private userFilter(query: UserListOrder, withWechat: ObjectId[] | undefined): Filter<Document> {
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
    // Dormant: a last sign-in before the instant, or none at all (null: missing or never set).
    if (query.notSignedInSince) clauses.push({ $or: [{ [field('lastSignInAt')]: { $lt: query.notSignedInSince } }, { [field('lastSignInAt')]: null }] });
    return clauses.length === 0 ? {} : { $and: clauses };
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
