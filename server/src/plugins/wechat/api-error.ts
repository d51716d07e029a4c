import { APIError } from 'better-auth/api';
import { isAppError } from '../../errors.js';
import { WECHAT_ERROR_CODES, type WechatErrorCode } from './error-codes.js';

const STATUS_NAMES = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  410: 'GONE',
  503: 'SERVICE_UNAVAILABLE',
} as const;

/** Turns an AppError from the scene store into better-auth's `{code, message}` error. */
export function toApiError(error: unknown): unknown {
  if (!isAppError(error)) return error;
  const status = STATUS_NAMES[error.status as keyof typeof STATUS_NAMES] ?? 'INTERNAL_SERVER_ERROR';
  const known = WECHAT_ERROR_CODES[error.code as WechatErrorCode];
  return APIError.from(status, known ?? { code: error.code, message: error.message });
}

export async function translatingErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toApiError(error);
  }
}
