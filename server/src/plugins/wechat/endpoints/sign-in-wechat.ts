import { z } from 'zod';
import { createAuthEndpoint } from 'better-auth/api';
import { setSessionCookie } from 'better-auth/cookies';
import { parseUserOutput } from 'better-auth/db';
import type { GenericEndpointContext } from '@better-auth/core';
import type { User } from 'better-auth';
import { WECHAT_AUTH_ENDPOINTS } from '@wechat-login/shared';
import { translatingErrors } from '../api-error.js';
import { DEFAULT_PLACEHOLDER_EMAIL_DOMAIN, defaultWechatUserName, placeholderEmail, WechatIdentities } from '../identity.js';
import type { WechatPluginOptions } from '../options.js';
import { consumeScannedScene, sceneBody } from './consume-scene.js';
import { errorResponses, okResponse } from './openapi.js';

/**
 * The OIDC provider's hand-off: the sign-in page passes on the signed query it was sent with; the
 * provider's own hooks check its signature before this endpoint runs (a bad one is refused, the
 * scene left unspent) and, once the session cookie is set, answer `{redirect, url}` instead.
 */
const signInBody = sceneBody.extend({
  oauth_query: z.string().max(4096).optional().meta({ description: 'The signed query of /sign-in when an app asked for authorization (OIDC); checked by the provider' }),
});

/** `POST /sign-in-wechat {sceneId}`: consumes a confirmed login scene (once) and signs its WeChat user in, creating the user the first time. */
export const signInWechat = (options: WechatPluginOptions) =>
  createAuthEndpoint(
    WECHAT_AUTH_ENDPOINTS.signInWechat,
    {
      method: 'POST',
      body: signInBody,
      metadata: {
        openapi: {
          operationId: 'signInWechat',
          summary: 'Sign in with a scanned WeChat QR code',
          description: 'Consumes a confirmed login scene (once) and signs in the WeChat user, creating the user on first sign-in.',
          responses: {
            200: okResponse('Signed in; the session cookie is set. With oauth_query: {redirect: true, url}, where the authorization continues', {
              user: { $ref: '#/components/schemas/User' },
              session: { type: 'object' },
              isNewUser: { type: 'boolean' },
            }),
            ...errorResponses('SCENE_NOT_FOUND', 'SCENE_NOT_SCANNED', 'SCENE_NOT_CONFIRMED', 'SCENE_DENIED', 'SCENE_ALREADY_USED', 'SCENE_EXPIRED', 'WECHAT_NOT_CONFIGURED'),
            403: { description: 'BANNED_USER' },
          },
        },
      },
    },
    async (ctx) => {
      const identity = await consumeScannedScene(ctx, options, 'login');
      const domain = options.emailDomainName ?? DEFAULT_PLACEHOLDER_EMAIL_DOMAIN;
      const { user, isNewUser } = await translatingErrors(() =>
        new WechatIdentities(ctx.context).findOrCreateUser(identity, {
          email: (attempt) => placeholderEmail(identity.openid, domain, attempt),
          name: defaultWechatUserName(identity.openid),
        }),
      );
      if (isNewUser) await options.onUserCreated?.({ user, openid: identity.openid, unionid: identity.unionid, ctx });
      return ctx.json(await startWechatSession(ctx, user, isNewUser, options));
    },
  );

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
