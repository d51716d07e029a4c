import type { ErrorMessageKey } from '@/i18n';
import { errorMessageKeyFor, NETWORK_ERROR_KEY } from './api-error';
import type { ApiResult } from './api-result';

/** Anything with zod's `safeParse` (the shared schemas), so answers are checked and dates revived. */
export interface ResponseSchema<T> {
  safeParse(value: unknown): { success: true; data: T } | { success: false };
}

export const API_V1_BASE = '/api/v1';
const UNEXPECTED_ANSWER_KEY: ErrorMessageKey = 'errors.UNKNOWN';

interface EnvelopeLike {
  success?: unknown;
  data?: unknown;
  error?: { code?: unknown };
}

function asEnvelope(value: unknown): EnvelopeLike {
  return typeof value === 'object' && value !== null ? (value as EnvelopeLike) : {};
}

/**
 * Calls one of our own routes: `{success: true, data}` becomes `ok` with the data checked by `schema`;
 * `{success: false, error: {code}}` becomes the translated message key of that code.
 */
export async function requestV1<T>(
  path: string,
  schema: ResponseSchema<T>,
  init: { method?: 'GET' | 'POST' | 'PATCH' | 'DELETE'; body?: unknown } = {},
): Promise<ApiResult<T>> {
  let response: Response;
  try {
    response = await fetch(`${API_V1_BASE}${path}`, {
      method: init.method ?? 'GET',
      credentials: 'same-origin',
      headers: init.body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  } catch {
    return { ok: false, errorKey: NETWORK_ERROR_KEY };
  }
  const envelope = asEnvelope(await response.json().catch(() => null));
  if (response.ok && envelope.success === true) {
    const parsed = schema.safeParse(envelope.data);
    return parsed.success ? { ok: true, data: parsed.data } : { ok: false, errorKey: UNEXPECTED_ANSWER_KEY };
  }
  const code = typeof envelope.error?.code === 'string' ? envelope.error.code : undefined;
  return { ok: false, errorKey: errorMessageKeyFor({ code, status: response.status }) };
}
