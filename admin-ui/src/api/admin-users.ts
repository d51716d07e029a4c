import {
  type AdminUser,
  type AdminUserDetail,
  AdminUserDetailSchema,
  AdminUserSchema,
  type AdminUsersQueryInput,
  type Page,
  pageSchema,
} from '@wechat-login/shared';
import type { ApiResult } from './api-result';
import { requestV1, type ResponseSchema } from './v1-request';

/** Our `/api/v1/admin/users` routes: the users table, a user's detail, and unbinding their WeChat. */

const userPageSchema = pageSchema(AdminUserSchema);

const unboundSchema: ResponseSchema<{ unbound: true }> = {
  safeParse: (value) =>
    (value as { unbound?: unknown } | null)?.unbound === true ? { success: true, data: { unbound: true } } : { success: false },
};

function userPath(userId: string): string {
  return `/admin/users/${encodeURIComponent(userId)}`;
}

export function fetchUserPage(query: AdminUsersQueryInput): Promise<ApiResult<Page<AdminUser>>> {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') params.set(name, String(value));
  }
  return requestV1(`/admin/users?${params.toString()}`, userPageSchema);
}

export function fetchUserDetail(userId: string): Promise<ApiResult<AdminUserDetail>> {
  return requestV1(userPath(userId), AdminUserDetailSchema);
}

/** Refused with WECHAT_ONLY_SIGN_IN_METHOD when the user has no password to sign in with instead. */
export function unbindUserWechat(userId: string): Promise<ApiResult<{ unbound: true }>> {
  return requestV1(`${userPath(userId)}/unbind-wechat`, unboundSchema, { method: 'POST' });
}
