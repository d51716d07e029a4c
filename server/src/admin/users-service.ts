import type { Account } from 'better-auth';
import type { AdminUser, AdminUserDetail, AdminUsersQuery, LinkedAccount, Page } from '@wechat-login/shared';
import { AppError } from '../errors.js';
import type { UserDirectory } from '../db/user-directory.js';
import type { LastSignInStore } from '../auth/last-sign-in-store.js';
import { toAdminUser, type StoredUser } from './admin-user-view.js';
import { WECHAT_PROVIDER_ID, WechatIdentities, type IdentityContext, type WechatAccount } from '../plugins/wechat/identity.js';

export interface AdminUsersDeps {
  /** better-auth's adapters (`await auth.$context`): users and accounts are read and written through them. */
  auth: IdentityContext;
  directory: UserDirectory;
  placeholderEmailDomain: string;
  /** Sign-ins this process took a moment ago are written before a page shows them. */
  lastSignIns: Pick<LastSignInStore, 'settled'>;
}

/** A user has a handful of accounts (WeChat, a password, later an OAuth app or two); this bounds one page's read. */
export const MAX_ACCOUNTS_PER_USER = 10;
const OBJECT_ID = /^[0-9a-f]{24}$/i;

const userNotFound = () => new AppError(404, 'USER_NOT_FOUND', 'No user has this id.');

/** One page of users for the admin table, with their sign-in methods (no $lookup: ids, then users, then their accounts). */
export async function listAdminUsers(deps: AdminUsersDeps, query: AdminUsersQuery): Promise<Page<AdminUser>> {
  await deps.lastSignIns.settled();
  const { ids, total } = await deps.directory.findUserIds(query, WECHAT_PROVIDER_ID);
  if (ids.length === 0) return { items: [], total, limit: query.limit, offset: query.offset };
  const { adapter } = deps.auth;
  const [users, accounts] = await Promise.all([
    adapter.findMany<StoredUser>({ model: 'user', where: [{ field: 'id', operator: 'in', value: ids }], limit: ids.length }),
    adapter.findMany<Account>({ model: 'account', where: [{ field: 'userId', operator: 'in', value: ids }], limit: ids.length * MAX_ACCOUNTS_PER_USER }),
  ]);
  const byId = new Map(users.map((user) => [user.id, user]));
  const items = ids
    .map((id) => byId.get(id))
    .filter((user): user is StoredUser => user !== undefined)
    .map((user) => toAdminUser(user, accounts.filter((account) => String(account.userId) === user.id), deps.placeholderEmailDomain));
  return { items, total, limit: query.limit, offset: query.offset };
}

export async function findUser(deps: AdminUsersDeps, userId: string): Promise<StoredUser> {
  const user = OBJECT_ID.test(userId) ? await deps.auth.internalAdapter.findUserById(userId) : null;
  if (!user) throw userNotFound();
  return user as StoredUser;
}

export async function getAdminUserDetail(deps: AdminUsersDeps, userId: string): Promise<AdminUserDetail> {
  await deps.lastSignIns.settled();
  const user = await findUser(deps, userId);
  const accounts = (await deps.auth.internalAdapter.findAccounts(user.id)) as WechatAccount[];
  const linked: LinkedAccount[] = accounts.map((account) => ({
    id: account.id,
    providerId: account.providerId,
    accountId: account.accountId,
    createdAt: new Date(account.createdAt),
    wechatOpenid: account.wechatOpenid ?? null,
    wechatUnionid: account.wechatUnionid ?? null,
  }));
  return { ...toAdminUser(user, accounts, deps.placeholderEmailDomain), accounts: linked };
}

/** An admin removes a user's WeChat binding; refused when it is their only way in (set a password first). */
export async function unbindWechatAsAdmin(deps: AdminUsersDeps, userId: string): Promise<void> {
  const user = await findUser(deps, userId);
  await new WechatIdentities(deps.auth).unbind(user.id);
}
