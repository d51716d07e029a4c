import { z } from 'zod';
import { SceneIdSchema } from '@wechat-login/shared';
import type { GenericEndpointContext } from '@better-auth/core';
import { toApiError, translatingErrors } from '../api-error.js';
import { wechatError } from '../error-codes.js';
import type { WechatIdentity } from '../identity.js';
import type { WechatPluginOptions } from '../options.js';

export const sceneBody = z.object({ sceneId: SceneIdSchema.meta({ description: 'The sceneId from GET /api/v1/pub/mp/get-qrcode' }) });

/**
 * The identity a confirmed scene carries, consumed once, by the browser that holds its binding
 * cookie: the browser sends only the scene id; the openid comes from the verified push.
 */
export async function consumeScannedScene(
  ctx: GenericEndpointContext & { body: z.infer<typeof sceneBody> },
  options: WechatPluginOptions,
  purpose: 'login' | 'bind',
): Promise<WechatIdentity> {
  const { scenes } = options;
  if (!scenes) throw toApiError(wechatError('WECHAT_NOT_CONFIGURED'));
  const bindingSecret = ctx.getCookie(options.bindingCookieName) ?? undefined;
  const acceptUnconfirmed = options.requirePhoneConfirmation === false;
  const scene = await translatingErrors(() => scenes.consume(ctx.body.sceneId, bindingSecret, purpose, { acceptUnconfirmed }));
  return { openid: scene.openid!, unionid: scene.unionid };
}
