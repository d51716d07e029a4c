import { APIError } from 'better-auth/api';
import { setSessionCookie } from 'better-auth/cookies';
import { parseUserOutput } from 'better-auth/db';
import type { GenericEndpointContext } from '@better-auth/core';
import type { User } from 'better-auth';
import { WECHAT_ERROR_CODES } from './error-codes.js';
import {
  DEFAULT_PLACEHOLDER_EMAIL_DOMAIN,
  defaultWechatUserName,
  findWechatAccount,
  placeholderEmail,
  rememberUnionid,
  wechatAccountFields,
  type WechatIdentity,
} from './identity.js';
import type { WechatPluginOptions } from './options.js';
import { isDuplicateKeyError, MAX_RACE_ROUNDS } from './duplicate-key.js';
import { WECHAT_PROVIDER_ID } from './schema.js';

/**
 * Finds the user of a WeChat identity, or creates user + account on first sign-in. Racing first
 * sign-ins of one person (two tabs, a double click, two instances) are settled by the unique
 * account indexes: the request whose account insert wins creates the user; the others delete the
 * user they had just made and sign in as the winner's (isNewUser false).
 */
export async function findOrCreateWechatUser(
  ctx: GenericEndpointContext,
  identity: WechatIdentity,
  options: WechatPluginOptions,
): Promise<{ user: User; isNewUser: boolean }> {
  for (let round = 1; round <= MAX_RACE_ROUNDS; round += 1) {
    const existing = await findWechatUser(ctx, identity);
    if (existing) return { user: existing, isNewUser: false };
    const created = await createWechatUser(ctx, identity, options);
    if (created) {
      await options.onUserCreated?.({ user: created, openid: identity.openid, unionid: identity.unionid, ctx });
      return { user: created, isNewUser: true };
    }
  }
  ctx.context.logger.error('[API] a WeChat sign-in kept losing the race for its identity');
  throw APIError.from('INTERNAL_SERVER_ERROR', WECHAT_ERROR_CODES.FAILED_TO_CREATE_USER);
}

async function findWechatUser(ctx: GenericEndpointContext, identity: WechatIdentity): Promise<User | null> {
  const adapter = ctx.context.internalAdapter;
  const account = await findWechatAccount(ctx, identity);
  if (!account) return null;
  const user = await adapter.findUserById(account.userId);
  if (user) {
    await rememberUnionid(ctx, account, identity);
    return user;
  }
  // An account whose user was deleted: drop it and start over.
  await adapter.deleteAccount(account.id);
  return null;
}

/**
 * The user, then its WeChat account (two writes: no transaction on FerretDB or a standalone
 * mongod). Null when a racing request took the email or the identity first; then the user made
 * here is deleted again, so a lost race leaves nothing behind.
 */
async function createWechatUser(ctx: GenericEndpointContext, identity: WechatIdentity, options: WechatPluginOptions): Promise<User | null> {
  const adapter = ctx.context.internalAdapter;
  let user: User | null;
  try {
    user = await adapter.createUser({
      email: await freePlaceholderEmail(ctx, identity, options),
      emailVerified: false,
      name: defaultWechatUserName(identity.openid),
      image: null,
    }, { method: WECHAT_PROVIDER_ID });
  } catch (error) {
    if (isDuplicateKeyError(error)) return null;
    throw failedToCreateUser(ctx, error);
  }
  if (!user) throw failedToCreateUser(ctx, new Error('a database hook refused the user'));
  const userId = user.id;
  try {
    await adapter.linkAccount({ userId, ...wechatAccountFields(identity) });
    return user;
  } catch (error) {
    await adapter.deleteUser(userId).catch((cleanupError: unknown) => ctx.context.logger.error(`[API] could not delete the unlinked user ${userId}`, cleanupError));
    if (isDuplicateKeyError(error)) return null;
    throw failedToCreateUser(ctx, error);
  }
}

/** Emails are lower-cased but openids are case-sensitive: never let two users share a label. */
async function freePlaceholderEmail(ctx: GenericEndpointContext, identity: WechatIdentity, options: WechatPluginOptions): Promise<string> {
  const domain = options.emailDomainName ?? DEFAULT_PLACEHOLDER_EMAIL_DOMAIN;
  const email = placeholderEmail(identity.openid, domain);
  if (!(await ctx.context.internalAdapter.findUserByEmail(email))) return email;
  return placeholderEmail(`${identity.openid}.${Date.now().toString(36)}`, domain);
}

function failedToCreateUser(ctx: GenericEndpointContext, error: unknown): unknown {
  if (error instanceof APIError) return error;
  ctx.context.logger.error('[API] could not create a WeChat user', error);
  return APIError.from('INTERNAL_SERVER_ERROR', WECHAT_ERROR_CODES.FAILED_TO_CREATE_USER);
}

/** Creates the session (better-auth refuses banned users here) and sets its cookie. */
export async function startWechatSession(ctx: GenericEndpointContext, user: User, isNewUser: boolean, options: WechatPluginOptions) {
  const session = await ctx.context.internalAdapter.createSession(user.id);
  await setSessionCookie(ctx, { session, user });
  await options.onSignIn?.({ user, session, isNewUser, ctx });
  return {
    user: parseUserOutput(ctx.context.options, user),
    session: { id: session.id, userId: session.userId, expiresAt: session.expiresAt, createdAt: session.createdAt },
    isNewUser,
  };
}
