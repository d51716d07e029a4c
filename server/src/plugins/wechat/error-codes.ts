import { defineErrorCodes } from '@better-auth/core/utils/error-codes';

/** Every error the `wechat` plugin answers with; the UI translates them by code. */
export const WECHAT_ERROR_CODES = defineErrorCodes({
  SCENE_NOT_FOUND: 'This QR code is unknown. Ask for a new one.',
  SCENE_EXPIRED: 'This QR code has expired. Ask for a new one.',
  SCENE_ALREADY_USED: 'This QR code has already been used. Ask for a new one.',
  SCENE_NOT_SCANNED: 'This QR code has not been scanned yet.',
  SCENE_NOT_CONFIRMED: 'Confirm the sign-in on your phone first.',
  SCENE_DENIED: 'The sign-in was refused on the phone. Ask for a new QR code.',
  WECHAT_ALREADY_BOUND: 'This WeChat account is already bound to another user.',
  USER_ALREADY_HAS_WECHAT: 'Your account is already bound to a WeChat account. Unbind it first.',
  WECHAT_NOT_BOUND: 'Your account is not bound to WeChat.',
  WECHAT_ONLY_SIGN_IN_METHOD: 'WeChat is your only way to sign in. Set a password first, then unbind WeChat.',
  FAILED_TO_CREATE_USER: 'Could not create a user for this WeChat account.',
  WECHAT_NOT_CONFIGURED: 'WeChat sign-in is not configured on this server.',
});

export type WechatErrorCode = keyof typeof WECHAT_ERROR_CODES;
