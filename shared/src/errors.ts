import { z } from 'zod';

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

/** Codes our own routes answer with, stable across releases; the UI translates them. */
export const API_ERROR_CODES = [
  'NOT_FOUND',
  'MALFORMED_JSON',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'INVALID_REQUEST',
  'INVALID_QUERY',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'RATE_LIMITED',
  'DATABASE_UNAVAILABLE',
  'INTERNAL_ERROR',
  'SCENE_NOT_FOUND',
  'SCENE_EXPIRED',
  'SCENE_ALREADY_USED',
  'WECHAT_UNAVAILABLE',
  'WECHAT_TIMEOUT',
  'WECHAT_CONFIG_INVALID',
  'WECHAT_IP_NOT_WHITELISTED',
  'WECHAT_QUOTA_EXCEEDED',
  'WECHAT_API_ERROR',
  'WECHAT_NOT_CONFIGURED',
  'WECHAT_ONLY_SIGN_IN_METHOD',
  'WECHAT_NOT_BOUND',
  'USER_NOT_FOUND',
  'INVALID_PROFILE',
  'INVALID_ORIGIN',
  'MISSING_OR_NULL_ORIGIN',
  'EMPTY_AVATAR',
  'AVATAR_TOO_LARGE',
  'UNSUPPORTED_AVATAR_TYPE',
  'AVATAR_NOT_FOUND',
] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];
