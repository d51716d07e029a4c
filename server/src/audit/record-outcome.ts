import type { AuditEventInput, AuditRecorder } from './types.js';

/** The machine code of an error (our AppError, better-auth's APIError body), never its message. */
export function errorCodeOf(error: unknown): string {
  const code = (error as { code?: unknown; body?: { code?: unknown } } | null)?.code ?? (error as { body?: { code?: unknown } } | null)?.body?.code;
  return typeof code === 'string' && code !== '' ? code : 'INTERNAL_ERROR';
}

/**
 * Runs an action and records its outcome once: success when it resolves,
 * failure with the error code when it throws (the error is rethrown unchanged).
 */
export async function recordingOutcome<T>(audit: AuditRecorder, event: Omit<AuditEventInput, 'outcome'>, action: () => Promise<T>): Promise<T> {
  let result: T;
  try {
    result = await action();
  } catch (error) {
    audit.record({ ...event, outcome: 'failure', details: { ...event.details, code: errorCodeOf(error) } });
    throw error;
  }
  audit.record({ ...event, outcome: 'success' });
  return result;
}
