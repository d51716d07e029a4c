import type { ErrorMessageKey } from '@/i18n';
import { type ApiErrorLike, errorMessageKeyFor, NETWORK_ERROR_KEY } from './api-error';

/** Every API call the views make settles to this: data, or a message key the page can translate. */
export type ApiResult<T> = { ok: true; data: T } | { ok: false; errorKey: ErrorMessageKey };

interface AuthClientResponse<T> {
  data: T | null;
  error: ApiErrorLike | null;
}

/** Runs a better-auth client call; an answer with an error code and a call that threw both become `ok: false`. */
export async function runAuthCall<T>(call: () => Promise<AuthClientResponse<T>>): Promise<ApiResult<T>> {
  try {
    const { data, error } = await call();
    if (error !== null || data === null) return { ok: false, errorKey: errorMessageKeyFor(error) };
    return { ok: true, data };
  } catch {
    return { ok: false, errorKey: NETWORK_ERROR_KEY };
  }
}
