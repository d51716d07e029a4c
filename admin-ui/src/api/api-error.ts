import type { ErrorMessageKey } from '@/i18n';
import zhCN from '@/i18n/locales/zh-CN';

/** What better-auth's client puts in `error`, and what our own `{ success: false, error }` bodies carry. */
export interface ApiErrorLike {
  code?: string | undefined;
  status?: number | undefined;
}

type ErrorCode = keyof typeof zhCN.errors;

const HTTP_STATUS_TOO_MANY_REQUESTS = 429;

// The message catalogue is the list of codes we translate: adding a message under `errors` maps its code.
function hasTranslatedMessage(code: string): code is ErrorCode {
  return Object.hasOwn(zhCN.errors, code);
}

/**
 * Maps an API error to a message key. The server's own wording never reaches the page: it is English,
 * and for unknown failures it may be anything. better-auth's 429 body has no code, hence the status check.
 */
export function errorMessageKeyFor(error: ApiErrorLike | null | undefined): ErrorMessageKey {
  if (error?.code && hasTranslatedMessage(error.code)) return `errors.${error.code}`;
  if (error?.status === HTTP_STATUS_TOO_MANY_REQUESTS) return 'errors.TOO_MANY_REQUESTS';
  return 'errors.UNKNOWN';
}

/** For a call that threw instead of answering (offline, DNS, CORS). */
export const NETWORK_ERROR_KEY: ErrorMessageKey = 'errors.NETWORK_ERROR';
