import { z } from 'zod';
import { APPLICATION_ERROR_CODES } from './oidc-applications.js';

/** The body of every error our own routes answer with. better-auth's endpoints keep `{code, message}`. */
export const ErrorBodySchema = z.object({
  success: z.literal(false),
  error: z.object({
    code: z.string().regex(/^[A-Z][A-Z0-9_]*$/),
    message: z.string(),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

/**
 * Every error code the server answers a browser or an API client with: the union of what our own
 * routes and better-auth plugins emit and what the dashboard translates. The server's AppError only
 * takes these (or a push code below), the `wechat` plugin's error table is keyed by them, and the
 * dashboard has zh-CN and en text for each (a test checks both): a new code is added here first.
 */
export const API_ERROR_CODES = [
  // Any route: the request itself.
  'NOT_FOUND',
  'MALFORMED_JSON',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'LENGTH_REQUIRED',
  'INVALID_REQUEST',
  'NON_CANONICAL_PATH',
  'INVALID_QUERY',
  'INVALID_BODY',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'INVALID_ORIGIN',
  'MISSING_OR_NULL_ORIGIN',
  'RATE_LIMITED',
  'DATABASE_UNAVAILABLE',
  'INTERNAL_ERROR',
  // Users and their profiles.
  'USER_NOT_FOUND',
  'INVALID_PROFILE',
  'INVALID_NAME',
  'INVALID_IMAGE_URL',
  'PLACEHOLDER_EMAIL_DOMAIN',
  'EMPTY_AVATAR',
  'AVATAR_TOO_LARGE',
  'UNSUPPORTED_AVATAR_TYPE',
  'AVATAR_NOT_FOUND',
  // QR scenes.
  'SCENE_NOT_FOUND',
  'SCENE_EXPIRED',
  'SCENE_ALREADY_USED',
  'SCENE_NOT_SCANNED',
  'SCENE_NOT_CONFIRMED',
  'SCENE_DENIED',
  'SCENE_ALREADY_DECIDED',
  // The WeChat identity.
  'WECHAT_ALREADY_BOUND',
  'USER_ALREADY_HAS_WECHAT',
  'WECHAT_NOT_BOUND',
  'WECHAT_ONLY_SIGN_IN_METHOD',
  'FAILED_TO_CREATE_USER',
  'WECHAT_NOT_CONFIGURED',
  // WeChat's REST API, as a QR code request meets it.
  'WECHAT_TIMEOUT',
  'WECHAT_UNREACHABLE',
  'WECHAT_BAD_RESPONSE',
  'WECHAT_BUSY',
  'WECHAT_CONFIG_INVALID',
  'WECHAT_IP_NOT_WHITELISTED',
  'WECHAT_QUOTA_EXCEEDED',
  'WECHAT_API_UNAUTHORIZED',
  'WECHAT_TOKEN_INVALID',
  'WECHAT_OAUTH_CODE_INVALID',
  'WECHAT_API_ERROR',
  // Web authorization (网页授权) inside WeChat: the round trip through WeChat's authorization page.
  'WECHAT_OAUTH_STATE_INVALID',
  'WECHAT_OAUTH_STATE_EXPIRED',
  'WECHAT_OAUTH_STATE_MISMATCH',
  'WECHAT_OAUTH_CONSENT_REFUSED',
  'WECHAT_OAUTH_NOT_PERMITTED',
  'WECHAT_OAUTH_SNAPSHOT_USER',
  'WECHAT_OAUTH_SESSION_CHANGED',
  'WECHAT_OAUTH_FAILED',
  'INVALID_CALLBACK_URL',
  'INVALID_NEW_USER_CALLBACK_URL',
  'INVALID_ERROR_CALLBACK_URL',
  // better-auth's own, which its endpoints answer and the dashboard shows.
  'INVALID_EMAIL_OR_PASSWORD',
  'INVALID_USERNAME_OR_PASSWORD',
  'INVALID_PASSWORD',
  'PASSWORD_TOO_SHORT',
  'PASSWORD_TOO_LONG',
  'PASSWORD_ALREADY_SET',
  'CREDENTIAL_ACCOUNT_NOT_FOUND',
  'BANNED_USER',
  'EMAIL_NOT_VERIFIED',
  'INVALID_EMAIL',
  'CHANGE_EMAIL_DISABLED',
  'VERIFICATION_EMAIL_NOT_ENABLED',
  'SESSION_EXPIRED',
  'SESSION_NOT_FRESH',
  'USER_ALREADY_EXISTS',
  'USERNAME_IS_ALREADY_TAKEN',
  'USERNAME_TOO_SHORT',
  'USERNAME_TOO_LONG',
  'INVALID_USERNAME',
  'INVALID_DISPLAY_USERNAME',
  'FAILED_TO_UPDATE_USER',
  'NO_DATA_TO_UPDATE',
  'YOU_CANNOT_BAN_YOURSELF',
  'YOU_ARE_NOT_ALLOWED_TO_LIST_USERS',
  'YOU_ARE_NOT_ALLOWED_TO_GET_USER',
  'YOU_ARE_NOT_ALLOWED_TO_UPDATE_USERS',
  'YOU_ARE_NOT_ALLOWED_TO_SET_USERS_PASSWORD',
  'YOU_ARE_NOT_ALLOWED_TO_BAN_USERS',
  'YOU_ARE_NOT_ALLOWED_TO_CHANGE_USERS_ROLE',
  'YOU_ARE_NOT_ALLOWED_TO_LIST_USERS_SESSIONS',
  'YOU_ARE_NOT_ALLOWED_TO_REVOKE_USERS_SESSIONS',
  // The admin Applications (OIDC clients).
  ...APPLICATION_ERROR_CODES,
] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

/** Refusals of a push that may not be WeChat's (or a wrong Token / EncodingAESKey): worth an operator's look. */
export const WECHAT_PUSH_FORGERY_CODES = [
  'WECHAT_SIGNATURE_INVALID',
  'WECHAT_TIMESTAMP_OUT_OF_WINDOW',
  'WECHAT_SIGNED_QUERY_REUSED',
  'WECHAT_DECRYPT_FAILED',
  'WECHAT_APPID_MISMATCH',
  'WECHAT_ENCRYPTION_REQUIRED',
] as const;

/** What the webhook answers WeChat's servers with when it refuses a push: never shown to a person. */
export const WECHAT_PUSH_ERROR_CODES = [
  ...WECHAT_PUSH_FORGERY_CODES,
  'WECHAT_MESSAGE_INVALID',
  'WECHAT_XML_MALFORMED',
  'WECHAT_XML_FORBIDDEN_DTD',
  'WECHAT_XML_TOO_LARGE',
] as const;
export type WechatPushErrorCode = (typeof WECHAT_PUSH_ERROR_CODES)[number];
