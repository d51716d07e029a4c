import type { WechatOAuthRedirects } from '@wechat-login/server/wechat-client';
import type { WechatBinding } from '@wechat-login/shared';
import { authClient } from './auth-client';
import { type ApiResult, runAuthCall } from './api-result';

/** The signed-in user's WeChat binding (the `wechat` better-auth plugin's endpoints). */

export function checkWechatBinding(): Promise<ApiResult<WechatBinding>> {
  return runAuthCall<WechatBinding>(() => authClient.checkWechatBinding());
}

/** Binds the WeChat that scanned the `purpose=bind` code of `sceneId`. */
export function bindWechat(sceneId: string): Promise<ApiResult<unknown>> {
  return runAuthCall<unknown>(() => authClient.bindWechat({ sceneId }));
}

/**
 * Inside WeChat: binds the WeChat this browser belongs to, by web authorization. On success better-auth's
 * client sends the browser to WeChat's authorization page; it comes back to `callbackURL` (bound) or to
 * `errorCallbackURL` with `error=CODE`.
 */
export function bindWechatByWebAuthorization(redirects: WechatOAuthRedirects): Promise<ApiResult<{ url: string }>> {
  return runAuthCall<{ url: string }>(() => authClient.bindWechatOAuth(redirects));
}

/** Refused with WECHAT_ONLY_SIGN_IN_METHOD while WeChat is the user's only way in. */
export function unbindWechat(): Promise<ApiResult<unknown>> {
  return runAuthCall<unknown>(() => authClient.unbindWechat());
}
