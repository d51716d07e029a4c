import { APIError } from 'better-auth/api';
import type { GenericEndpointContext } from '@better-auth/core';
import { isDuplicateKeyError, MAX_RACE_ROUNDS } from './duplicate-key.js';
import { WECHAT_ERROR_CODES } from './error-codes.js';
import { findUserWechatAccount, findWechatAccount, rememberUnionid, wechatAccountFields, type WechatIdentity } from './identity.js';

/**
 * Links a WeChat identity to a signed-in user. The checks are reads, so two binds can pass them at
 * once; the unique account indexes then let one insert through, and the loser looks again to
 * learn what beat it: another user took this WeChat (409 WECHAT_ALREADY_BOUND), or this user
 * bound another WeChat (409 USER_ALREADY_HAS_WECHAT), or this very bind already happened (200).
 */
export async function bindWechatIdentity(ctx: GenericEndpointContext, userId: string, identity: WechatIdentity): Promise<void> {
  for (let round = 1; round <= MAX_RACE_ROUNDS; round += 1) {
    const owner = await findWechatAccount(ctx, identity);
    if (owner && owner.userId !== userId) throw APIError.from('CONFLICT', WECHAT_ERROR_CODES.WECHAT_ALREADY_BOUND);
    if (owner) {
      await rememberUnionid(ctx, owner, identity);
      return;
    }
    if (await findUserWechatAccount(ctx, userId)) throw APIError.from('CONFLICT', WECHAT_ERROR_CODES.USER_ALREADY_HAS_WECHAT);
    try {
      await ctx.context.internalAdapter.linkAccount({ userId, ...wechatAccountFields(identity) });
      return;
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
  }
  throw APIError.from('CONFLICT', WECHAT_ERROR_CODES.WECHAT_ALREADY_BOUND);
}
