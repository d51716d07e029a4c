import { createAuthEndpoint, sessionMiddleware } from 'better-auth/api';
import { WECHAT_AUTH_ENDPOINTS } from '@wechat-login/shared';
import { translatingErrors } from '../api-error.js';
import { WechatIdentities } from '../identity.js';
import { errorResponses, okResponse } from './openapi.js';

/** `POST /unbind-wechat`: removes the signed-in user's WeChat, unless it is their only way in. */
export const unbindWechat = () =>
  createAuthEndpoint(
    WECHAT_AUTH_ENDPOINTS.unbindWechat,
    {
      method: 'POST',
      use: [sessionMiddleware],
      metadata: {
        openapi: {
          operationId: 'unbindWechat',
          summary: 'Unbind WeChat from the signed-in user',
          description: 'Refused when WeChat is the only way the user can sign in (no password).',
          responses: {
            200: okResponse('Unbound', { unbound: { type: 'boolean' } }),
            ...errorResponses('WECHAT_NOT_BOUND', 'WECHAT_ONLY_SIGN_IN_METHOD'),
          },
        },
      },
    },
    async (ctx) => {
      await translatingErrors(() => new WechatIdentities(ctx.context).unbind(ctx.context.session.user.id));
      return ctx.json({ unbound: true as const });
    },
  );
