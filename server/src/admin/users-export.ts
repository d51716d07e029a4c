import type { Account } from 'better-auth';
import type { AdminUsersExportQuery } from '@wechat-login/shared';
import { WECHAT_PROVIDER_ID, type WechatAccount } from '../plugins/wechat/identity.js';
import { toAdminUser, type StoredUser } from './admin-user-view.js';
import { csvRecord, UTF8_BOM } from './csv.js';
import { MAX_ACCOUNTS_PER_USER, type AdminUsersDeps } from './users-service.js';

/** Users read per round: one cursor batch of users, then their accounts. */
export const EXPORT_BATCH_SIZE = 500;

const COLUMNS = [
  'id',
  'name',
  'username',
  'email',
  'email_kind',
  'email_verified',
  'role',
  'banned',
  'sign_in_methods',
  'created_at',
  'last_sign_in_at',
  'last_sign_in_method',
  'last_sign_in_ip',
] as const;
const WECHAT_ID_COLUMNS = ['wechat_openid', 'wechat_unionid'] as const;

/** Where the CSV goes: resolves once the text is taken (after `drain` when the client reads slowly); rejects once the client is gone. */
export type CsvSink = (text: string) => Promise<void>;

/** The cells of one user, in COLUMNS order (then the WeChat ids when asked for). Never a password hash or a token. */
function userCells(user: StoredUser, accounts: Account[], deps: AdminUsersDeps, includeWechatIds: boolean): (string | boolean | null)[] {
  const view = toAdminUser(user, accounts, deps.placeholderEmailDomain);
  const cells: (string | boolean | null)[] = [
    view.id,
    view.name,
    view.username,
    view.email,
    view.emailIsPlaceholder ? 'placeholder' : 'real',
    view.emailVerified,
    view.role,
    view.banned,
    view.signInMethods.join(' '),
    view.createdAt.toISOString(),
    view.lastSignIn?.at.toISOString() ?? null,
    view.lastSignIn?.method ?? null,
    view.lastSignIn?.ip ?? null,
  ];
  if (!includeWechatIds) return cells;
  const wechat = accounts.find((account) => account.providerId === WECHAT_PROVIDER_ID) as WechatAccount | undefined;
  return [...cells, wechat?.wechatOpenid ?? null, wechat?.wechatUnionid ?? null];
}

/** The CSV of one batch of users, in their order, with their accounts read through better-auth's adapter. */
async function batchCsv(deps: AdminUsersDeps, users: StoredUser[], includeWechatIds: boolean): Promise<string> {
  const ids = users.map((user) => user.id);
  const accounts = await deps.auth.adapter.findMany<Account>({ model: 'account', where: [{ field: 'userId', operator: 'in', value: ids }], limit: ids.length * MAX_ACCOUNTS_PER_USER });
  const accountsOf = new Map<string, Account[]>();
  for (const account of accounts) accountsOf.set(String(account.userId), [...(accountsOf.get(String(account.userId)) ?? []), account]);
  return users.map((user) => csvRecord(userCells(user, accountsOf.get(user.id) ?? [], deps, includeWechatIds))).join('');
}

/**
 * Writes every user the table's filters match, in its order, as UTF-8 CSV with a BOM. Batch by
 * batch from a cursor, each written before the next is read: a slow client holds the export
 * back (the sink waits for `drain`) instead of the server holding every row. Returns the rows written.
 */
export async function writeUsersCsv(deps: AdminUsersDeps, query: AdminUsersExportQuery, sink: CsvSink, progress: { rows: number } = { rows: 0 }): Promise<number> {
  await deps.lastSignIns.settled();
  await sink(UTF8_BOM + csvRecord(query.includeWechatIds ? [...COLUMNS, ...WECHAT_ID_COLUMNS] : COLUMNS));
  for await (const users of deps.directory.userBatches(query, WECHAT_PROVIDER_ID, EXPORT_BATCH_SIZE)) {
    await sink(await batchCsv(deps, users as StoredUser[], query.includeWechatIds));
    progress.rows += users.length;
  }
  return progress.rows;
}

/** `users-20250131.csv`: the UTC day of the export. */
export function exportFileName(now: Date): string {
  return `users-${now.toISOString().slice(0, 10).replace(/-/g, '')}.csv`;
}

/** The export's filters and order as one short query string for the audit trail (only what differs from the defaults). */
export function describeExportFilter(query: AdminUsersExportQuery): string {
  const params = new URLSearchParams();
  if (query.search) params.set('search', query.search);
  if (query.role) params.set('role', query.role);
  if (query.banned !== undefined) params.set('banned', String(query.banned));
  if (query.hasWechat !== undefined) params.set('hasWechat', String(query.hasWechat));
  if (query.profileCompleted !== undefined) params.set('profileCompleted', String(query.profileCompleted));
  if (query.notSignedInSince) params.set('notSignedInSince', query.notSignedInSince.toISOString());
  params.set('sortBy', query.sortBy);
  params.set('sortDirection', query.sortDirection);
  return params.toString();
}
