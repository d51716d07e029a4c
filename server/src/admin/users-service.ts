import type { Account, User } from 'better-auth';
import type { AdminUser, AdminUserDetail, AdminUsersQuery, LinkedAccount, Page } from '@wechat-login/shared';
import { AppError } from '../errors.js';
import { signInMethodsOf } from '../auth/sign-in-methods.js';
import { isPlaceholderEmail } from '../auth/placeholder-email.js';
import type { UserDirectory } from '../db/user-directory.js';
import { WECHAT_PROVIDER_ID, WechatIdentities, type IdentityContext, type WechatAccount } from '../plugins/wechat/identity.js';

export interface AdminUsersDeps {
  /** better-auth's adapters (`await auth.$context`): users and accounts are read and written through them. */
  auth: IdentityContext;
  directory: UserDirectory;
  placeholderEmailDomain: string;
}

/** A user has a handful of accounts (WeChat, a password, later an OAuth app or two); this bounds one page's read. */
const MAX_ACCOUNTS_PER_USER = 10;
const OBJECT_ID = /^[0-9a-f]{24}$/i;

const userNotFound = () => new AppError(404, 'USER_NOT_FOUND', 'No user has this id.');

/** The fields better-auth's user has beside its core ones: ours and its plugins' (username, admin, profile). */
type StoredUser = User & {
  username?: string | null;
  displayUsername?: string | null;
  role?: string | null;
  banned?: boolean | null;
  banReason?: string | null;
  banExpires?: Date | null;
  profileCompletedAt?: Date | null;
};

function toAdminUser(user: StoredUser, accounts: Account[], placeholderEmailDomain: string): AdminUser {
  const emailIsPlaceholder = isPlaceholderEmail(user.email, placeholderEmailDomain);
  const username = user.username ?? null;
  return {
    id: user.id,
    name: user.name ?? '',
    email: user.email,
    emailIsPlaceholder,
    emailVerified: Boolean(user.emailVerified),
    username,
    displayUsername: user.displayUsername ?? null,
    image: user.image ?? null,
    role: user.role ?? 'user',
    banned: user.banned === true,
    banReason: user.banReason ?? null,
    banExpires: user.banExpires ? new Date(user.banExpires) : null,
    signInMethods: signInMethodsOf({ username, emailIsPlaceholder }, accounts),
    profileCompletedAt: user.profileCompletedAt ? new Date(user.profileCompletedAt) : null,
    createdAt: new Date(user.createdAt),
    updatedAt: new Date(user.updatedAt),
  };
}

/** One page of users for the admin table, with their sign-in methods (no $lookup: ids, then users, then their accounts). */
export async function listAdminUsers(deps: AdminUsersDeps, query: AdminUsersQuery): Promise<Page<AdminUser>> {
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

async function findUser(deps: AdminUsersDeps, userId: string): Promise<StoredUser> {
  const user = OBJECT_ID.test(userId) ? await deps.auth.internalAdapter.findUserById(userId) : null;
  if (!user) throw userNotFound();
  return user as StoredUser;
}

export async function getAdminUserDetail(deps: AdminUsersDeps, userId: string): Promise<AdminUserDetail> {
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
