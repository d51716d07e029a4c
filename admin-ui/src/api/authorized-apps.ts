import { AUTHORIZED_APPS_PATH, AuthorizedAppListSchema, RevokedAuthorizationSchema, type AuthorizedApp, type RevokedAuthorization } from '@wechat-login/shared';
import type { ApiResult } from './api-result';
import { requestV1 } from './v1-request';

/** The apps the signed-in person allowed on the consent page, newest first. */
export async function fetchAuthorizedApps(): Promise<ApiResult<AuthorizedApp[]>> {
  const result = await requestV1(AUTHORIZED_APPS_PATH, AuthorizedAppListSchema);
  return result.ok ? { ok: true, data: result.data.items } : result;
}

/** Forgets the consent and ends the app's tokens for this person: it must ask again next time. */
export function revokeAuthorizedApp(clientId: string): Promise<ApiResult<RevokedAuthorization>> {
  return requestV1(`${AUTHORIZED_APPS_PATH}/${encodeURIComponent(clientId)}`, RevokedAuthorizationSchema, { method: 'DELETE' });
}
