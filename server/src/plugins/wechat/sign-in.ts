import { APIError } from 'better-auth/api';
import { setSessionCookie } from 'better-auth/cookies';
import { parseUserOutput } from 'better-auth/db';
import type { GenericEndpointContext } from '@better-auth/core';
import type { User } from 'better-auth';
import { WECHAT_ERROR_CODES } from './error-codes.js';
import {
  defaultWechatUserName,
  findWechatAccount,
  placeholderEmail,
  rememberUnionid,
  wechatAccountFields,
  type WechatIdentity,
} from './identity.js';
import type { WechatPluginOptions } from './options.js';

/** Finds the user of a WeChat identity, or creates user + account on first sign-in. */
export async function findOrCreateWechatUser(
  ctx: GenericEndpointContext,
  identity: WechatIdentity,
  options: WechatPluginOptions,
): Promise<{ user: User; isNewUser: boolean }> {
  const adapter = ctx.context.internalAdapter;
  const account = await findWechatAccount(ctx, identity);
  if (account) {
    const user = await adapter.findUserById(account.userId);
    if (user) {
      await rememberUnionid(ctx, account, identity);
      return { user, isNewUser: false };
    }
    // An account whose user was deleted: drop it and start over.
    await adapter.deleteAccount(account.id);
  }
  const domain = options.emailDomainName ?? 'wechat.placeholder';
  let email = placeholderEmail(identity.openid, domain);
  // Emails are lower-cased but openids are case-sensitive: never let two users share a label.
  if (await adapter.findUserByEmail(email)) email = placeholderEmail(`${identity.openid}.${Date.now().toString(36)}`, domain);
  try {
    const created = await adapter.createOAuthUser(
      { email, emailVerified: false, name: defaultWechatUserName(identity.openid), image: null },
      wechatAccountFields(identity),
    );
    await options.onUserCreated?.({ user: created.user, openid: identity.openid, unionid: identity.unionid, ctx });
    return { user: created.user, isNewUser: true };
  } catch (error) {
    if (error instanceof APIError) throw error;
    ctx.context.logger.error('[API] could not create a WeChat user', error);
    throw APIError.from('INTERNAL_SERVER_ERROR', WECHAT_ERROR_CODES.FAILED_TO_CREATE_USER);
  }
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
