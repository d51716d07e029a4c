import type { ApiErrorCode } from '@wechat-login/shared';
import { defineErrorCodes } from '@better-auth/core/utils/error-codes';
import { errorFromTable, type AppError } from '../../errors.js';
import { SCENE_ERRORS } from '../../wechat/scenes/scene.js';
import { OAUTH_ERRORS } from '../../wechat/oauth/oauth-errors.js';

/**
 * Every error of WeChat sign-in and binding, with its HTTP status and a message a user can act on:
 * the scene's refusals and the identity's. One table: the plugin's endpoints answer from it
 * (better-auth's `{code, message}`), our admin routes answer from it (our error shape), and the UI
 * translates by code.
 */
export const WECHAT_ERRORS = {
  ...SCENE_ERRORS,
  ...OAUTH_ERRORS,
  WECHAT_ALREADY_BOUND: { status: 409, message: 'This WeChat account is already bound to another user.' },
  USER_ALREADY_HAS_WECHAT: { status: 409, message: 'This account is already bound to a WeChat account. Unbind it first.' },
  WECHAT_NOT_BOUND: { status: 400, message: 'The account is not bound to WeChat.' },
  WECHAT_ONLY_SIGN_IN_METHOD: { status: 400, message: 'WeChat is the only way to sign in to this account. Set a password first, then unbind WeChat.' },
  FAILED_TO_CREATE_USER: { status: 500, message: 'Could not create a user for this WeChat account.' },
  WECHAT_NOT_CONFIGURED: { status: 503, message: 'WeChat sign-in is not configured on this server.' },
} as const satisfies { [Code in ApiErrorCode]?: { status: number; message: string } };

export type WechatErrorCode = keyof typeof WECHAT_ERRORS;

/** The plugin's `$ERROR_CODES`, as better-auth's own plugins declare theirs. */
export const WECHAT_ERROR_CODES = defineErrorCodes(
  Object.fromEntries(Object.entries(WECHAT_ERRORS).map(([code, { message }]) => [code, message])) as { [Code in WechatErrorCode]: (typeof WECHAT_ERRORS)[Code]['message'] },
);

export function wechatError(code: WechatErrorCode): AppError {
  return errorFromTable(WECHAT_ERRORS, code);
}
