import { createAuthEndpoint, sessionMiddleware } from 'better-auth/api';
import { WECHAT_AUTH_ENDPOINTS } from '@wechat-login/shared';
import { translatingErrors } from '../api-error.js';
import { WechatIdentities } from '../identity.js';
import type { WechatPluginOptions } from '../options.js';
import { consumeScannedScene, sceneBody } from './consume-scene.js';
import { errorResponses, okResponse } from './openapi.js';

/** `POST /bind-wechat {sceneId}`: binds the WeChat that scanned (and confirmed) a bind QR code to the signed-in user. */
export const bindWechat = (options: WechatPluginOptions) =>
  createAuthEndpoint(
    WECHAT_AUTH_ENDPOINTS.bindWechat,
    {
      method: 'POST',
      body: sceneBody,
      use: [sessionMiddleware],
      metadata: {
        openapi: {
          operationId: 'bindWechat',
          summary: 'Bind the WeChat that scanned a bind QR code to the signed-in user',
          responses: {
            200: okResponse('Bound', { bound: { type: 'boolean' }, openid: { type: 'string' } }),
            ...errorResponses('WECHAT_ALREADY_BOUND', 'USER_ALREADY_HAS_WECHAT', 'SCENE_NOT_FOUND', 'SCENE_NOT_CONFIRMED', 'SCENE_DENIED', 'SCENE_ALREADY_USED', 'SCENE_EXPIRED'),
          },
        },
      },
    },
    async (ctx) => {
      const identity = await consumeScannedScene(ctx, options, 'bind');
      await translatingErrors(() => new WechatIdentities(ctx.context).bind(ctx.context.session.user.id, identity));
      return ctx.json({ bound: true as const, openid: identity.openid });
    },
  );
