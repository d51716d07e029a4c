import { type OwnProfile, OwnProfileSchema } from '@wechat-login/shared';
import { errorMessageKeyFor, NETWORK_ERROR_KEY } from './api-error';
import type { ApiResult } from './api-result';
import { API_V1_BASE, requestV1 } from './v1-request';

/** The signed-in user's profile: `/api/v1/me/profile` and `/api/v1/me/avatar`. */

export function fetchOwnProfile(): Promise<ApiResult<OwnProfile>> {
  return requestV1('/me/profile', OwnProfileSchema);
}

/** Marks the profile completed, with the chosen display name (already uploaded avatar alone is enough too). */
export function completeOwnProfile(input: { name?: string }): Promise<ApiResult<OwnProfile>> {
  return requestV1('/me/profile', OwnProfileSchema, { method: 'POST', body: input });
}

/**
 * Sends the image file itself as the body (not a form): the server reads its type from its bytes and
 * answers 415/413/400 with a code when it refuses it.
 */
export async function uploadOwnAvatar(file: Blob): Promise<ApiResult<OwnProfile>> {
  let response: Response;
  try {
    response = await fetch(`${API_V1_BASE}/me/avatar`, {
      method: 'PUT',
      credentials: 'same-origin',
      headers: { accept: 'application/json', 'content-type': file.type },
      body: file,
    });
  } catch {
    return { ok: false, errorKey: NETWORK_ERROR_KEY };
  }
  const answer = (await response.json().catch(() => null)) as { success?: unknown; data?: unknown; error?: { code?: unknown } } | null;
  if (response.ok && answer?.success === true) {
    const parsed = OwnProfileSchema.safeParse(answer.data);
    if (parsed.success) return { ok: true, data: parsed.data };
  }
  const code = typeof answer?.error?.code === 'string' ? answer.error.code : undefined;
  return { ok: false, errorKey: errorMessageKeyFor({ code, status: response.status }) };
}
