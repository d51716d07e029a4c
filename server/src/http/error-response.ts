import type { Response } from 'express';
import type { ErrorBody } from '@wechat-login/shared';
import type { AppErrorCode } from '../errors.js';

/** Writes our one error shape. A 429 or 503 with a known wait also gets Retry-After. */
export function sendError(
  res: Response,
  status: number,
  code: AppErrorCode,
  message: string,
  options: { details?: Record<string, unknown>; retryAfterSeconds?: number } = {},
): void {
  if (options.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(Math.max(1, Math.ceil(options.retryAfterSeconds))));
  const body: ErrorBody = { success: false, error: { code, message, ...(options.details ? { details: options.details } : {}) } };
  res.status(status).json(body);
}
