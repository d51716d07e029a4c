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

/** Refused with WECHAT_ONLY_SIGN_IN_METHOD while WeChat is the user's only way in. */
export function unbindWechat(): Promise<ApiResult<unknown>> {
  return runAuthCall<unknown>(() => authClient.unbindWechat());
}
