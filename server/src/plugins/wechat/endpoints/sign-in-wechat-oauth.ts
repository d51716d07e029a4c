import { z } from 'zod';
import { createAuthEndpoint } from 'better-auth/api';
import type { GenericEndpointContext } from '@better-auth/core';
import { WECHAT_AUTH_ENDPOINTS } from '@wechat-login/shared';
import { toApiError } from '../api-error.js';
import { wechatError } from '../error-codes.js';
import type { OAuthRedirectPaths, OAuthStartPurpose, WechatPluginOptions } from '../options.js';
import { ensureBindingSecret, readRedirects, redirectsBody } from './oauth-redirects.js';
import { errorResponses, okResponse } from './openapi.js';

const signInBody = z.object({
  ...redirectsBody,
  scope: z.enum(['base', 'userinfo']).optional().meta({ description: 'base: never ask (openid only); userinfo: ask for the nickname and avatar. Default: the server\'s WECHAT_MP_OAUTH_SCOPE' }),
});

/** `POST /sign-in-wechat-oauth`: starts web authorization inside WeChat; the client goes to `url`. */
export const signInWechatOAuth = (options: WechatPluginOptions) =>
  createAuthEndpoint(
    WECHAT_AUTH_ENDPOINTS.signInWechatOAuth,
    {
      method: 'POST',
      body: signInBody,
      metadata: {
        openapi: {
          operationId: 'signInWechatOAuth',
          summary: 'Sign in with WeChat web authorization (inside WeChat)',
          description: 'Answers the URL of WeChat\'s authorization page; WeChat sends the browser back to /wechat-oauth/callback, which signs in and redirects to callbackURL.',
          responses: {
            200: okResponse('Go to url', { url: { type: 'string' }, redirect: { type: 'boolean' } }),
            ...errorResponses('INVALID_CALLBACK_URL', 'WECHAT_NOT_CONFIGURED'),
          },
        },
      },
    },
    async (ctx) => {
      const web = options.webAuthorization;
      if (!web) throw toApiError(wechatError('WECHAT_NOT_CONFIGURED'));
      const redirects = readRedirects(ctx.body);
      if (!redirects) throw toApiError(wechatError('INVALID_CALLBACK_URL'));
      const strategy = ctx.body.scope ?? web.scopeStrategy;
      return ctx.json({ url: await startWebAuthorization(ctx, options, { kind: 'login', strategy, askedForProfile: strategy === 'userinfo' }, redirects), redirect: true });
    },
  );

/**
 * Issues a state for this browser and answers WeChat's authorization page. `auto` starts silently
 * (snsapi_base) and asks for the profile only if the callback finds it is needed.
 */
export async function startWebAuthorization(ctx: GenericEndpointContext, options: WechatPluginOptions, purpose: OAuthStartPurpose, redirects: OAuthRedirectPaths): Promise<string> {
  const { flow } = options.webAuthorization!;
  const state = await flow.states.issue({ bindingSecret: ensureBindingSecret(ctx, options), purpose, redirects });
  const scope = purpose.kind === 'login' && purpose.askedForProfile ? 'snsapi_userinfo' : 'snsapi_base';
  return flow.authorizeUrl({ redirectUri: `${ctx.context.baseURL}${WECHAT_AUTH_ENDPOINTS.wechatOAuthCallback}`, scope, state });
}
