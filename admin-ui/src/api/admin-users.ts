import {
  ADMIN_USER_ROUTES,
  type AdminUser,
  type AdminUserDetail,
  AdminUserDetailSchema,
  AdminUserSchema,
  type AdminUsersExportQueryInput,
  type AdminUsersQueryInput,
  type Page,
  pageSchema,
} from '@wechat-login/shared';
import { errorMessageKeyFor, NETWORK_ERROR_KEY } from './api-error';
import type { ApiResult } from './api-result';
import { API_V1_BASE, requestV1, type ResponseSchema } from './v1-request';

/** Our `/api/v1/admin/users` routes: the users table and its export, a user's detail, their WeChat and avatar. */

const ADMIN_BASE = '/admin';
const userPageSchema = pageSchema(AdminUserSchema);

const unboundSchema: ResponseSchema<{ unbound: true }> = {
  safeParse: (value) =>
    (value as { unbound?: unknown } | null)?.unbound === true ? { success: true, data: { unbound: true } } : { success: false },
};

function userPath(userId: string): string {
  return `${ADMIN_BASE}/users/${encodeURIComponent(userId)}`;
}

function queryString(query: AdminUsersQueryInput | AdminUsersExportQueryInput): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') params.set(name, String(value));
  }
  return params.toString();
}

export function fetchUserPage(query: AdminUsersQueryInput): Promise<ApiResult<Page<AdminUser>>> {
  return requestV1(`${ADMIN_BASE}/users?${queryString(query)}`, userPageSchema);
}

/**
 * Where the browser downloads the CSV of these users. A link, not a fetch: the server streams every
 * matching row, and the browser writes them to disk as they come instead of holding the file in memory.
 */
export function userExportUrl(query: AdminUsersExportQueryInput): string {
  return `${API_V1_BASE}${ADMIN_BASE}${ADMIN_USER_ROUTES.exportCsv}?${queryString(query)}`;
}

export function fetchUserDetail(userId: string): Promise<ApiResult<AdminUserDetail>> {
  return requestV1(userPath(userId), AdminUserDetailSchema);
}

/** Refused with WECHAT_ONLY_SIGN_IN_METHOD when the user has no password to sign in with instead. */
export function unbindUserWechat(userId: string): Promise<ApiResult<{ unbound: true }>> {
  return requestV1(`${userPath(userId)}/unbind-wechat`, unboundSchema, { method: 'POST' });
}

/** A call to the avatar route, answered with the user's updated detail or a refusal with a code. */
async function sendAvatarRequest(userId: string, init: { method: 'PUT' | 'DELETE'; image?: Blob }): Promise<ApiResult<AdminUserDetail>> {
  let response: Response;
  try {
    response = await fetch(`${API_V1_BASE}${ADMIN_BASE}${ADMIN_USER_ROUTES.avatar(userId)}`, {
      method: init.method,
      credentials: 'same-origin',
      headers: init.image ? { accept: 'application/json', 'content-type': init.image.type } : { accept: 'application/json' },
      body: init.image,
    });
  } catch {
    return { ok: false, errorKey: NETWORK_ERROR_KEY };
  }
  const answer = (await response.json().catch(() => null)) as { success?: unknown; data?: unknown; error?: { code?: unknown } } | null;
  if (response.ok && answer?.success === true) {
    const parsed = AdminUserDetailSchema.safeParse(answer.data);
    return parsed.success ? { ok: true, data: parsed.data } : { ok: false, errorKey: 'errors.UNKNOWN' };
  }
  const code = typeof answer?.error?.code === 'string' ? answer.error.code : undefined;
  return { ok: false, errorKey: errorMessageKeyFor({ code, status: response.status }) };
}

/**
 * Gives the user this picture, as the user's own upload does: the file itself is the body, and the
 * server checks its bytes and size (413/415/400 with a code when it refuses).
 */
export function uploadUserAvatar(userId: string, image: Blob): Promise<ApiResult<AdminUserDetail>> {
  return sendAvatarRequest(userId, { method: 'PUT', image });
}

export function removeUserAvatar(userId: string): Promise<ApiResult<AdminUserDetail>> {
  return sendAvatarRequest(userId, { method: 'DELETE' });
}
