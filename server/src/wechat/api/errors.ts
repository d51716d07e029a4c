import { AppError } from '../../errors.js';
import { wechatErrcodeRule, type WechatRecovery } from './errcodes.js';

/**
 * Typed errors of the WeChat REST client: WechatApiError when WeChat answered with an errcode, plain
 * AppErrors when it did not answer usefully at all (timeout, network, not JSON).
 */

/** WeChat answered `{errcode, errmsg}` with errcode ≠ 0. Status, code and message come from the table. */
export class WechatApiError extends AppError {
  readonly errcode: number;
  readonly errmsg: string;
  readonly recovery: WechatRecovery;

  constructor(errcode: number, errmsg: string, nowMs: number = Date.now()) {
    const rule = wechatErrcodeRule(errcode);
    const context = { errcode, errmsg, nowMs };
    super(rule.status, rule.code, rule.message(context), { errcode, errmsg, ...rule.details?.(context) });
    this.errcode = errcode;
    this.errmsg = errmsg;
    this.recovery = rule.recovery;
  }
}

export function isWechatApiError(error: unknown): error is WechatApiError {
  return error instanceof WechatApiError;
}

/** 40001 / 40014 / 42001: the token must be dropped and the call tried once more with a fresh one. */
export function isAccessTokenRejected(error: unknown): error is WechatApiError {
  return isWechatApiError(error) && error.recovery === 'refresh-token';
}

/** Worth a retry after a short pause: WeChat busy (-1), or WeChat not reached at all. */
export function isTransientWechatFailure(error: unknown): boolean {
  if (isWechatApiError(error)) return error.recovery === 'retry-with-backoff';
  return error instanceof AppError && error.code === 'WECHAT_UNREACHABLE';
}

function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}

export function wechatTimeoutError(timeoutMs: number, api: string): AppError {
  return new AppError(504, 'WECHAT_TIMEOUT', `WeChat did not answer within ${formatSeconds(timeoutMs)}`, { api, timeoutMs });
}

/** `cause` is kept for logs; the message names only the host, never a URL (it would hold the token). */
export function wechatUnreachableError(apiBase: string, api: string, cause: unknown): AppError {
  const host = URL.canParse(apiBase) ? new URL(apiBase).host : 'the WeChat API';
  const reason = errorCode(cause);
  return new AppError(
    502,
    'WECHAT_UNREACHABLE',
    `Could not reach ${host}${reason ? ` (${reason})` : ''}: check the network and WECHAT_MP_API_BASE`,
    { api, reason },
    { cause },
  );
}

export function wechatBadResponseError(api: string, reason: string, httpStatus?: number): AppError {
  return new AppError(502, 'WECHAT_BAD_RESPONSE', `WeChat gave an unusable answer to ${api}: ${reason}`, { api, httpStatus });
}

/** undici reports network failures as TypeError('fetch failed') with the system error as its cause. */
function errorCode(error: unknown): string | null {
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 4; depth += 1) {
    const { code } = current as { code?: unknown };
    if (typeof code === 'string') return code;
    current = current.cause;
  }
  return null;
}
