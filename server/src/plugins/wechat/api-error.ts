import { APIError } from 'better-auth/api';
import { isAppError } from '../../errors.js';

type ApiErrorStatus = ConstructorParameters<typeof APIError>[0];

/**
 * The scene store and the identity module throw our AppError (our routes answer it in our shape);
 * inside a better-auth endpoint it becomes better-auth's `{code, message}` with the same status.
 */
export function toApiError(error: unknown): unknown {
  if (!isAppError(error)) return error;
  return APIError.from(error.status as ApiErrorStatus, { code: error.code, message: error.message });
}

export async function translatingErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toApiError(error);
  }
}
