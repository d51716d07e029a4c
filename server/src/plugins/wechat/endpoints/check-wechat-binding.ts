import { createAuthEndpoint, sessionMiddleware } from 'better-auth/api';
import { WECHAT_AUTH_ENDPOINTS } from '@wechat-login/shared';
import { WechatIdentities } from '../identity.js';
import { okResponse } from './openapi.js';

/** `GET /check-wechat-binding`: whether the signed-in user has WeChat bound, and which. */
export const checkWechatBinding = () =>
  createAuthEndpoint(
    WECHAT_AUTH_ENDPOINTS.checkWechatBinding,
    {
      method: 'GET',
      use: [sessionMiddleware],
      metadata: {
        openapi: {
          operationId: 'checkWechatBinding',
          summary: 'Whether the signed-in user has WeChat bound',
          responses: { 200: okResponse('The binding state', { bound: { type: 'boolean' }, openid: { type: 'string' }, unionid: { type: 'string', nullable: true }, boundAt: { type: 'string' } }) },
        },
      },
    },
    async (ctx) => {
      const account = await new WechatIdentities(ctx.context).findAccountOfUser(ctx.context.session.user.id);
      if (!account) return ctx.json({ bound: false as const });
      return ctx.json({
        bound: true as const,
        openid: account.wechatOpenid ?? account.accountId,
        unionid: account.wechatUnionid ?? null,
        boundAt: new Date(account.createdAt).toISOString(),
      });
    },
  );
