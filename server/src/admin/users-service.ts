import { ObjectId, type Db, type Document } from 'mongodb';
import type { AdminUser, AdminUserDetail, AdminUsersQuery, LinkedAccount, Page } from '@wechat-login/shared';
import { AppError } from '../errors.js';
import { hasOtherSignInMethod, signInMethodsOf, type AccountLike } from '../auth/sign-in-methods.js';
import { adminUserFilter, adminUserSort } from './user-filter.js';
import { isPlaceholderEmail } from '../auth/placeholder-email.js';

export interface AdminUsersDeps {
  db: Db;
  placeholderEmailDomain: string;
}

const userNotFound = () => new AppError(404, 'USER_NOT_FOUND', 'No user has this id.');

function toObjectId(id: string): ObjectId {
  if (!ObjectId.isValid(id) || !/^[0-9a-f]{24}$/i.test(id)) throw userNotFound();
  return new ObjectId(id);
}

function accountOf(doc: Document): AccountLike & { userId: string; doc: Document } {
  return { id: String(doc._id), providerId: String(doc.providerId), password: doc.password ?? null, userId: String(doc.userId), doc };
}

function toAdminUser(doc: Document, accounts: AccountLike[], placeholderEmailDomain: string): AdminUser {
  const email = String(doc.email);
  const emailIsPlaceholder = isPlaceholderEmail(email, placeholderEmailDomain);
  const username = (doc.username as string | undefined) ?? null;
  return {
    id: String(doc._id),
    name: String(doc.name ?? ''),
    email,
    emailIsPlaceholder,
    emailVerified: Boolean(doc.emailVerified),
    username,
    displayUsername: (doc.displayUsername as string | undefined) ?? null,
    image: (doc.image as string | undefined) ?? null,
    role: String(doc.role ?? 'user'),
    banned: doc.banned === true,
    banReason: (doc.banReason as string | undefined) ?? null,
    banExpires: doc.banExpires ? new Date(doc.banExpires as Date) : null,
    signInMethods: signInMethodsOf({ username, emailIsPlaceholder }, accounts),
    profileCompletedAt: doc.profileCompletedAt ? new Date(doc.profileCompletedAt as Date) : null,
    createdAt: new Date(doc.createdAt as Date),
    updatedAt: new Date(doc.updatedAt as Date),
  };
}

/** One page of users for the admin table, with their sign-in methods (two queries, no $lookup). */
export async function listAdminUsers(deps: AdminUsersDeps, query: AdminUsersQuery): Promise<Page<AdminUser>> {
  const users = deps.db.collection('user');
  const accounts = deps.db.collection('account');
  const wechatUserIds = query.hasWechat === undefined ? undefined : ((await accounts.distinct('userId', { providerId: 'wechat' })) as ObjectId[]);
  const filter = adminUserFilter(query, wechatUserIds);
  const [docs, total] = await Promise.all([
    users.find(filter).sort(adminUserSort(query)).skip(query.offset).limit(query.limit).toArray(),
    users.countDocuments(filter),
  ]);
  const pageAccounts = docs.length === 0 ? [] : (await accounts.find({ userId: { $in: docs.map((d) => d._id) } }).toArray()).map(accountOf);
  const items = docs.map((doc) => toAdminUser(doc, pageAccounts.filter((a) => a.userId === String(doc._id)), deps.placeholderEmailDomain));
  return { items, total, limit: query.limit, offset: query.offset };
}

export async function getAdminUserDetail(deps: AdminUsersDeps, userId: string): Promise<AdminUserDetail> {
  const _id = toObjectId(userId);
  const doc = await deps.db.collection('user').findOne({ _id });
  if (!doc) throw userNotFound();
  const accounts = (await deps.db.collection('account').find({ userId: _id }).toArray()).map(accountOf);
  const linked: LinkedAccount[] = accounts.map(({ id, providerId, doc: account }) => ({
    id,
    providerId,
    accountId: String(account.accountId),
    createdAt: new Date(account.createdAt as Date),
    wechatOpenid: (account.wechatOpenid as string | undefined) ?? null,
    wechatUnionid: (account.wechatUnionid as string | undefined) ?? null,
  }));
  return { ...toAdminUser(doc, accounts, deps.placeholderEmailDomain), accounts: linked };
}

/** An admin removes a user's WeChat binding; refused when it is their only way in (set a password first). */
export async function unbindWechatAsAdmin(deps: AdminUsersDeps, userId: string): Promise<void> {
  const _id = toObjectId(userId);
  if (!(await deps.db.collection('user').findOne({ _id }, { projection: { _id: 1 } }))) throw userNotFound();
  const accounts = (await deps.db.collection('account').find({ userId: _id }).toArray()).map(accountOf);
  const wechat = accounts.find((account) => account.providerId === 'wechat');
  if (!wechat) throw new AppError(400, 'WECHAT_NOT_BOUND', 'This user has no WeChat bound.');
  if (!hasOtherSignInMethod(accounts, wechat.id)) {
    throw new AppError(400, 'WECHAT_ONLY_SIGN_IN_METHOD', 'WeChat is this user\'s only way to sign in. Reset their password first, then unbind WeChat.');
  }
  await deps.db.collection('account').deleteOne({ _id: wechat.doc._id });
}
