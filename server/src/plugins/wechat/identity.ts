import type { Account, User } from 'better-auth';
import { APIError } from 'better-auth/api';
import type { AuthContext } from '@better-auth/core';
import { hasOtherSignInMethod } from '../../auth/sign-in-methods.js';
import { isDuplicateKeyError, MAX_RACE_ROUNDS } from './duplicate-key.js';
import { wechatError } from './error-codes.js';
import { WECHAT_PROVIDER_ID } from './schema.js';

export { WECHAT_PROVIDER_ID };

/** The placeholder email domain when none is configured (WECHAT_MP_EMAIL_DOMAIN's default). */
export const DEFAULT_PLACEHOLDER_EMAIL_DOMAIN = 'wechat.placeholder';

/** Who a verified WeChat event says the person is: never taken from the browser. */
export interface WechatIdentity {
  openid: string;
  unionid: string | null;
}

export type WechatAccount = Account & { wechatOpenid?: string | null; wechatUnionid?: string | null; wechatProfileAt?: Date | null };

/** The part of better-auth's context this module works through: inside an endpoint `ctx.context`, outside `await auth.$context`. */
export type IdentityContext = Pick<AuthContext, 'adapter' | 'internalAdapter' | 'logger'>;

/**
 * The one owner of WeChat identities. A person is the `wechat` account record (accountId = unionid
 * when WeChat gives one, else openid; both kept): every find, link and unlink goes through here, on
 * better-auth's adapters, so its database hooks and a `schema` rename apply. One person is one user:
 * unique indexes on `account` (accountId + providerId, the openid, userId + providerId) refuse a
 * second link, and racing requests settle on the winner here. Refusals are AppErrors from the
 * plugin's one error table.
 */
export class WechatIdentities {
  constructor(private readonly context: IdentityContext) {}

  /** By unionid first (stable across an Open Platform's apps), then by openid, as the key or as the recorded openid. */
  async findAccount(identity: WechatIdentity): Promise<WechatAccount | null> {
    const { internalAdapter, adapter } = this.context;
    if (identity.unionid) {
      const byUnionid = await internalAdapter.findAccountByKey({ providerId: WECHAT_PROVIDER_ID, accountId: identity.unionid });
      if (byUnionid) return byUnionid as WechatAccount;
    }
    const byOpenidKey = await internalAdapter.findAccountByKey({ providerId: WECHAT_PROVIDER_ID, accountId: identity.openid });
    if (byOpenidKey) return byOpenidKey as WechatAccount;
    // Keyed by unionid, while this sign-in has none (WeChat's user/info failed or was slow).
    return adapter.findOne<WechatAccount>({
      model: 'account',
      where: [
        { field: 'providerId', value: WECHAT_PROVIDER_ID },
        { field: 'wechatOpenid', value: identity.openid },
      ],
    });
  }

  async findAccountOfUser(userId: string): Promise<WechatAccount | null> {
    const accounts = await this.context.internalAdapter.findAccounts(userId);
    return (accounts.find((account) => account.providerId === WECHAT_PROVIDER_ID) as WechatAccount | undefined) ?? null;
  }

  /** The user a WeChat openid belongs to, if any (for the audit trail: a stranger's scan is null). */
  async findUserIdByOpenid(openid: string): Promise<string | null> {
    return (await this.findAccount({ openid, unionid: null }))?.userId ?? null;
  }

  /**
   * The user of this identity, or a new one (user, then account: two writes, no transaction on
   * FerretDB or a standalone mongod). Racing first sign-ins of one person are settled by the unique
   * indexes: the request whose account lands creates the user; the others delete the user they had
   * just made and sign in as the winner's.
   */
  async findOrCreateUser(identity: WechatIdentity, newUser: { email: (attempt: number) => string; name: string }): Promise<{ user: User; isNewUser: boolean }> {
    for (let round = 1; round <= MAX_RACE_ROUNDS; round += 1) {
      const existing = await this.findUser(identity);
      if (existing) return { user: existing, isNewUser: false };
      const created = await this.createUser(identity, await this.freeEmail(newUser.email), newUser.name);
      if (created) return { user: created, isNewUser: true };
    }
    this.context.logger.error('[API] a WeChat sign-in kept losing the race for its identity');
    throw wechatError('FAILED_TO_CREATE_USER');
  }

  /**
   * Links this identity to a signed-in user. The checks are reads, so two binds can pass them at
   * once; the unique indexes let one insert through, and the loser looks again to learn what beat
   * it: another user took this WeChat (WECHAT_ALREADY_BOUND), this user bound another WeChat
   * (USER_ALREADY_HAS_WECHAT), or this very bind already happened.
   */
  async bind(userId: string, identity: WechatIdentity): Promise<void> {
    for (let round = 1; round <= MAX_RACE_ROUNDS; round += 1) {
      const owner = await this.findAccount(identity);
      if (owner && owner.userId !== userId) throw wechatError('WECHAT_ALREADY_BOUND');
      if (owner) return this.rememberUnionid(owner, identity);
      if (await this.findAccountOfUser(userId)) throw wechatError('USER_ALREADY_HAS_WECHAT');
      try {
        await this.context.internalAdapter.linkAccount({ userId, ...accountFields(identity) });
        return;
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
      }
    }
    throw wechatError('WECHAT_ALREADY_BOUND');
  }

  /** Removes the user's WeChat, unless it is their only way in (a password must be set first). */
  async unbind(userId: string): Promise<void> {
    const accounts = await this.context.internalAdapter.findAccounts(userId);
    const wechat = accounts.find((account) => account.providerId === WECHAT_PROVIDER_ID);
    if (!wechat) throw wechatError('WECHAT_NOT_BOUND');
    if (!hasOtherSignInMethod(accounts, wechat.id)) throw wechatError('WECHAT_ONLY_SIGN_IN_METHOD');
    await this.context.internalAdapter.deleteAccount(wechat.id);
  }

  /** Remembers that this person shared their WeChat profile, so `auto` does not ask them again. */
  async rememberProfileShared(identity: WechatIdentity): Promise<void> {
    const account = await this.findAccount(identity);
    if (account) await this.context.internalAdapter.updateAccount(account.id, { wechatProfileAt: new Date() } as Partial<Account>);
  }

  private async findUser(identity: WechatIdentity): Promise<User | null> {
    const account = await this.findAccount(identity);
    if (!account) return null;
    const user = await this.context.internalAdapter.findUserById(account.userId);
    if (user) {
      await this.rememberUnionid(account, identity);
      return user;
    }
    // An account whose user was deleted: drop it and start over.
    await this.context.internalAdapter.deleteAccount(account.id);
    return null;
  }

  /** Null when a racing request took the email or the identity first; the user made here is then deleted again. */
  private async createUser(identity: WechatIdentity, email: string, name: string): Promise<User | null> {
    const { internalAdapter, logger } = this.context;
    let user: User | null;
    try {
      user = await internalAdapter.createUser({ email, emailVerified: false, name, image: null }, { method: WECHAT_PROVIDER_ID });
    } catch (error) {
      if (isDuplicateKeyError(error)) return null;
      throw this.failedToCreateUser(error);
    }
    if (!user) throw this.failedToCreateUser(new Error('a database hook refused the user'));
    try {
      await internalAdapter.linkAccount({ userId: user.id, ...accountFields(identity) });
      return user;
    } catch (error) {
      const userId = user.id;
      await internalAdapter.deleteUser(userId).catch((cleanupError: unknown) => logger.error(`[API] could not delete the unlinked user ${userId}`, cleanupError));
      if (isDuplicateKeyError(error)) return null;
      throw this.failedToCreateUser(error);
    }
  }

  /** Emails are lower-cased but openids are case-sensitive: a taken label gets a suffix, never a shared user. */
  private async freeEmail(emailFor: (attempt: number) => string): Promise<string> {
    const email = emailFor(0);
    return (await this.context.internalAdapter.findUserByEmail(email)) ? emailFor(Date.now()) : email;
  }

  /** Record a unionid learned after the account was created, without changing its key. */
  private async rememberUnionid(account: WechatAccount, identity: WechatIdentity): Promise<void> {
    if (!identity.unionid || account.wechatUnionid === identity.unionid) return;
    await this.context.internalAdapter.updateAccount(account.id, { wechatUnionid: identity.unionid } as Partial<Account>);
  }

  /** A database hook's refusal (an APIError) is the answer; anything else is logged and named. */
  private failedToCreateUser(error: unknown): unknown {
    if (error instanceof APIError) return error;
    this.context.logger.error('[API] could not create a WeChat user', error);
    return wechatError('FAILED_TO_CREATE_USER');
  }
}

/** The account key WeChat users are known by: the unionid when WeChat gives one, else the openid. */
function accountFields(identity: WechatIdentity) {
  return {
    providerId: WECHAT_PROVIDER_ID,
    accountId: identity.unionid ?? identity.openid,
    wechatOpenid: identity.openid,
    wechatUnionid: identity.unionid,
  };
}

/** A name people can read until the user sets their own: WeChat no longer shares nicknames. */
export function defaultWechatUserName(openid: string): string {
  return `WeChat user ${openid.slice(-6)}`;
}

/** `{openid}@domain`, lower-cased like every email better-auth stores; `attempt` > 0 adds a suffix. */
export function placeholderEmail(openid: string, emailDomainName: string, attempt = 0): string {
  const local = attempt === 0 ? openid : `${openid}.${attempt.toString(36)}`;
  return `${local}@${emailDomainName}`.toLowerCase();
}
