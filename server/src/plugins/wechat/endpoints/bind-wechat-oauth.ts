import { z } from 'zod';
import { createAuthEndpoint, sessionMiddleware } from 'better-auth/api';
import { WECHAT_AUTH_ENDPOINTS } from '@wechat-login/shared';
import { toApiError } from '../api-error.js';
import { wechatError } from '../error-codes.js';
import type { WechatPluginOptions } from '../options.js';
import { DEFAULT_REDIRECTS, readRedirects, redirectsBody } from './oauth-redirects.js';
import { errorResponses, okResponse } from './openapi.js';
import { startWebAuthorization } from './sign-in-wechat-oauth.js';

const bindBody = z.object({ callbackURL: redirectsBody.callbackURL, errorCallbackURL: redirectsBody.errorCallbackURL });

/**
 * `POST /bind-wechat-oauth`: binds the WeChat of this in-app browser to the signed-in user by a
 * silent web authorization (snsapi_base: only the openid is needed). The same rules as a QR bind.
 */
export const bindWechatOAuth = (options: WechatPluginOptions) =>
  createAuthEndpoint(
    WECHAT_AUTH_ENDPOINTS.bindWechatOAuth,
    {
      method: 'POST',
      body: bindBody,
      use: [sessionMiddleware],
      metadata: {
        openapi: {
          operationId: 'bindWechatOAuth',
          summary: 'Bind this WeChat to the signed-in user by web authorization (inside WeChat)',
          responses: {
            200: okResponse('Go to url', { url: { type: 'string' }, redirect: { type: 'boolean' } }),
            ...errorResponses('INVALID_CALLBACK_URL', 'WECHAT_NOT_CONFIGURED'),
          },
        },
      },
    },
    async (ctx) => {
      if (!options.webAuthorization) throw toApiError(wechatError('WECHAT_NOT_CONFIGURED'));
      const redirects = readRedirects({ callbackURL: ctx.body.callbackURL ?? '/account', errorCallbackURL: ctx.body.errorCallbackURL ?? ctx.body.callbackURL ?? DEFAULT_REDIRECTS.errorCallbackURL });
      if (!redirects) throw toApiError(wechatError('INVALID_CALLBACK_URL'));
      const url = await startWebAuthorization(ctx, options, { kind: 'bind', userId: ctx.context.session.user.id }, redirects);
      return ctx.json({ url, redirect: true });
    },
  );
