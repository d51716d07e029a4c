import type { ApiErrorCode, WechatPushErrorCode } from '@wechat-login/shared';

/**
 * The codes an AppError may carry: those of the shared list (what browsers and API clients get, each
 * translated by the dashboard), those the webhook answers WeChat with, and the development
 * simulator's own (it plays WeChat, and only developers see them).
 */
export type AppErrorCode = ApiErrorCode | WechatPushErrorCode | `WECHAT_SIMULATOR_${string}`;

/**
 * The one error type our own code throws. `status` is the HTTP status a route
 * answers with, `code` a stable UPPER_SNAKE machine code the UI translates, and
 * `message` something a user or operator can act on. Never put secrets in it.
 */
export class AppError extends Error {
  override readonly name = 'AppError';

  constructor(
    readonly status: number,
    readonly code: AppErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}

/** A table of errors by code, each with the status to answer and a message a user can act on. */
export type ErrorTable<Code extends AppErrorCode> = { readonly [C in Code]: { readonly status: number; readonly message: string } };

/** The AppError a table says for `code`. */
export function errorFromTable<Code extends AppErrorCode>(table: ErrorTable<Code>, code: Code): AppError {
  return new AppError(table[code].status, code, table[code].message);
}
