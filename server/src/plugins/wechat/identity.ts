import type { Account, User } from 'better-auth';
import type { GenericEndpointContext } from '@better-auth/core';
import { WECHAT_PROVIDER_ID } from './schema.js';

export interface WechatIdentity {
  openid: string;
  unionid: string | null;
}

export type WechatAccount = Account & { wechatOpenid?: string | null; wechatUnionid?: string | null };

/** The account key WeChat users are known by: the unionid when WeChat gives one, else the openid. */
export function wechatAccountId(identity: WechatIdentity): string {
  return identity.unionid ?? identity.openid;
}

/**
 * The user's WeChat account, found by unionid first (stable across an Open
 * Platform's apps), then by openid: as the key of accounts created before a
 * unionid was known, and as the openid recorded on accounts keyed by unionid
 * (this sign-in has no unionid when WeChat's user/info failed or was slow).
 */
export async function findWechatAccount(ctx: GenericEndpointContext, identity: WechatIdentity): Promise<WechatAccount | null> {
  const adapter = ctx.context.internalAdapter;
  if (identity.unionid) {
    const byUnionid = await adapter.findAccountByKey({ providerId: WECHAT_PROVIDER_ID, accountId: identity.unionid });
    if (byUnionid) return byUnionid as WechatAccount;
  }
  const byOpenidKey = await adapter.findAccountByKey({ providerId: WECHAT_PROVIDER_ID, accountId: identity.openid });
  if (byOpenidKey) return byOpenidKey as WechatAccount;
  return ctx.context.adapter.findOne<WechatAccount>({
    model: 'account',
    where: [
      { field: 'providerId', value: WECHAT_PROVIDER_ID },
      { field: 'wechatOpenid', value: identity.openid },
    ],
  });
}

export async function findUserWechatAccount(ctx: GenericEndpointContext, userId: string): Promise<WechatAccount | null> {
  const accounts = await ctx.context.internalAdapter.findAccounts(userId);
  return (accounts.find((account) => account.providerId === WECHAT_PROVIDER_ID) as WechatAccount | undefined) ?? null;
}

/** Record a unionid learned after the account was created, without changing its key. */
export async function rememberUnionid(ctx: GenericEndpointContext, account: WechatAccount, identity: WechatIdentity): Promise<void> {
  if (!identity.unionid || account.wechatUnionid === identity.unionid) return;
  await ctx.context.internalAdapter.updateAccount(account.id, { wechatUnionid: identity.unionid } as Partial<Account>);
}

/** A name people can read until the user sets their own: WeChat no longer shares nicknames. */
export function defaultWechatUserName(openid: string): string {
  return `WeChat user ${openid.slice(-6)}`;
}

/** The placeholder email domain when none is configured (WECHAT_MP_EMAIL_DOMAIN's default). */
export const DEFAULT_PLACEHOLDER_EMAIL_DOMAIN = 'wechat.placeholder';

export function placeholderEmail(openid: string, emailDomainName: string): string {
  return `${openid}@${emailDomainName}`.toLowerCase();
}

export function wechatAccountFields(identity: WechatIdentity) {
  return {
    providerId: WECHAT_PROVIDER_ID,
    accountId: wechatAccountId(identity),
    wechatOpenid: identity.openid,
    wechatUnionid: identity.unionid,
  };
}

export type { User };
