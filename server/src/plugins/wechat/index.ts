import type { BetterAuthPlugin } from 'better-auth';
import { APIError, createAuthEndpoint, sessionMiddleware } from 'better-auth/api';
import { mergeSchema } from 'better-auth/db';
import { z } from 'zod';
import { SceneIdSchema } from '@wechat-login/shared';
import { translatingErrors } from './api-error.js';
import { WECHAT_ERROR_CODES } from './error-codes.js';
import { findUserWechatAccount } from './identity.js';
import { bindWechatIdentity } from './bind.js';
import type { WechatPluginOptions } from './options.js';
import { wechatSchema, WECHAT_PROVIDER_ID } from './schema.js';
import { findOrCreateWechatUser, startWechatSession } from './sign-in.js';
import { setFirstPasswordEndpoint } from './set-first-password.js';
import { hasOtherSignInMethod } from '../../auth/sign-in-methods.js';

export type { WechatPluginOptions } from './options.js';
export { WECHAT_ERROR_CODES } from './error-codes.js';
export { DEFAULT_PLACEHOLDER_EMAIL_DOMAIN } from './identity.js';

const sceneBody = z.object({ sceneId: SceneIdSchema.meta({ description: 'The sceneId from GET /api/v1/pub/mp/get-qrcode' }) });
const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { type: 'object' as const, properties: { code: { type: 'string' as const }, message: { type: 'string' as const } } } } },
});

/**
 * WeChat Official Account QR login as a better-auth plugin. The browser only
 * ever sends a scene id; the WeChat identity comes from the scene, which only a
 * verified webhook push can mark scanned, and only the browser holding the
 * scene's binding cookie can consume it, once.
 */
export const wechat = (options: WechatPluginOptions) => {
  const readBindingSecret = (ctx: { getCookie(name: string): string | null | undefined }) => ctx.getCookie(options.bindingCookieName) ?? undefined;
  const perMinute = options.rateLimitPerMinute ?? 20;
  const consumeOptions = { acceptUnconfirmed: options.requirePhoneConfirmation === false };
  const scenes = () => {
    if (!options.scenes) throw APIError.from('SERVICE_UNAVAILABLE', WECHAT_ERROR_CODES.WECHAT_NOT_CONFIGURED);
    return options.scenes;
  };

  return {
    id: 'wechat',
    schema: mergeSchema(wechatSchema, options.schema),
    $ERROR_CODES: WECHAT_ERROR_CODES,
    rateLimit: [
      {
        pathMatcher: (path: string) => ['/sign-in-wechat', '/bind-wechat', '/unbind-wechat', '/set-first-password'].includes(path),
        window: 60,
        max: perMinute,
      },
    ],
    endpoints: {
      signInWechat: createAuthEndpoint(
        '/sign-in-wechat',
        {
          method: 'POST',
          body: sceneBody,
          metadata: {
            openapi: {
              operationId: 'signInWechat',
              summary: 'Sign in with a scanned WeChat QR code',
              description: 'Consumes a scanned login scene (once) and signs in the WeChat user, creating the user on first sign-in.',
              responses: {
                200: { description: 'Signed in; the session cookie is set', content: { 'application/json': { schema: { type: 'object', properties: { user: { $ref: '#/components/schemas/User' }, session: { type: 'object' }, isNewUser: { type: 'boolean' } } } } } },
                404: errorResponse('SCENE_NOT_FOUND: unknown scene, or not this browser\'s'),
                409: errorResponse('SCENE_NOT_SCANNED, SCENE_NOT_CONFIRMED (not yet confirmed on the phone), SCENE_DENIED or SCENE_ALREADY_USED'),
                410: errorResponse('SCENE_EXPIRED'),
                403: errorResponse('BANNED_USER'),
              },
            },
          },
        },
        async (ctx) => {
          const scene = await translatingErrors(() => scenes().consume(ctx.body.sceneId, readBindingSecret(ctx), 'login', consumeOptions));
          const identity = { openid: scene.openid!, unionid: scene.unionid };
          const { user, isNewUser } = await findOrCreateWechatUser(ctx, identity, options);
          return ctx.json(await startWechatSession(ctx, user, isNewUser, options));
        },
      ),

      checkWechatBinding: createAuthEndpoint(
        '/check-wechat-binding',
        {
          method: 'GET',
          use: [sessionMiddleware],
          metadata: {
            openapi: {
              operationId: 'checkWechatBinding',
              summary: 'Whether the signed-in user has WeChat bound',
              responses: { 200: { description: 'The binding state', content: { 'application/json': { schema: { type: 'object', properties: { bound: { type: 'boolean' }, openid: { type: 'string' }, unionid: { type: 'string', nullable: true }, boundAt: { type: 'string' } } } } } } },
            },
          },
        },
        async (ctx) => {
          const account = await findUserWechatAccount(ctx, ctx.context.session.user.id);
          if (!account) return ctx.json({ bound: false as const });
          return ctx.json({
            bound: true as const,
            openid: account.wechatOpenid ?? account.accountId,
            unionid: account.wechatUnionid ?? null,
            boundAt: new Date(account.createdAt).toISOString(),
          });
        },
      ),

      bindWechat: createAuthEndpoint(
        '/bind-wechat',
        {
          method: 'POST',
          body: sceneBody,
          use: [sessionMiddleware],
          metadata: {
            openapi: {
              operationId: 'bindWechat',
              summary: 'Bind the WeChat that scanned a bind QR code to the signed-in user',
              responses: {
                200: { description: 'Bound', content: { 'application/json': { schema: { type: 'object', properties: { bound: { type: 'boolean' }, openid: { type: 'string' } } } } } },
                409: errorResponse('WECHAT_ALREADY_BOUND (another user) or USER_ALREADY_HAS_WECHAT'),
              },
            },
          },
        },
        async (ctx) => {
          const userId = ctx.context.session.user.id;
          const scene = await translatingErrors(() => scenes().consume(ctx.body.sceneId, readBindingSecret(ctx), 'bind', consumeOptions));
          const identity = { openid: scene.openid!, unionid: scene.unionid };
          await bindWechatIdentity(ctx, userId, identity);
          return ctx.json({ bound: true as const, openid: identity.openid });
        },
      ),

      unbindWechat: createAuthEndpoint(
        '/unbind-wechat',
        {
          method: 'POST',
          use: [sessionMiddleware],
          metadata: {
            openapi: {
              operationId: 'unbindWechat',
              summary: 'Unbind WeChat from the signed-in user',
              description: 'Refused when WeChat is the only way the user can sign in (no password).',
              responses: {
                200: { description: 'Unbound', content: { 'application/json': { schema: { type: 'object', properties: { unbound: { type: 'boolean' } } } } } },
                400: errorResponse('WECHAT_NOT_BOUND or WECHAT_ONLY_SIGN_IN_METHOD'),
              },
            },
          },
        },
        async (ctx) => {
          const userId = ctx.context.session.user.id;
          const account = await findUserWechatAccount(ctx, userId);
          if (!account) throw APIError.from('BAD_REQUEST', WECHAT_ERROR_CODES.WECHAT_NOT_BOUND);
          const accounts = await ctx.context.internalAdapter.findAccounts(userId);
          if (!hasOtherSignInMethod(accounts, account.id)) throw APIError.from('BAD_REQUEST', WECHAT_ERROR_CODES.WECHAT_ONLY_SIGN_IN_METHOD);
          await ctx.context.internalAdapter.deleteAccount(account.id);
          return ctx.json({ unbound: true as const });
        },
      ),

      setFirstPassword: setFirstPasswordEndpoint(),
    },
  } satisfies BetterAuthPlugin;
};

export { WECHAT_PROVIDER_ID };
