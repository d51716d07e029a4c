import {
  ADMIN_APPLICATIONS_PATH, ApplicationActivitySchema, ApplicationDeletedSchema, ApplicationDetailSchema, ApplicationListSchema, ApplicationSchema, ApplicationWithSecretSchema,
  type Application, type ApplicationActivity, type ApplicationDetail, type ApplicationList, type ApplicationWithSecret, type CreateApplicationInput, type UpdateApplicationInput,
} from '@wechat-login/shared';
import type { ApiResult } from './api-result';
import { requestV1 } from './v1-request';

/** The admin Applications: `/api/v1/admin/applications` (the OIDC clients other apps sign in with). */

function pathOf(clientId: string, suffix = ''): string {
  return `${ADMIN_APPLICATIONS_PATH}/${encodeURIComponent(clientId)}${suffix}`;
}

export function fetchApplications(): Promise<ApiResult<ApplicationList>> {
  return requestV1(ADMIN_APPLICATIONS_PATH, ApplicationListSchema);
}

export function fetchApplication(clientId: string): Promise<ApiResult<ApplicationDetail>> {
  return requestV1(pathOf(clientId), ApplicationDetailSchema);
}

/** The answer holds the secret of a confidential application: show it once, keep it nowhere. */
export function createApplication(input: CreateApplicationInput): Promise<ApiResult<ApplicationWithSecret>> {
  return requestV1(ADMIN_APPLICATIONS_PATH, ApplicationWithSecretSchema, { method: 'POST', body: input });
}

export function updateApplication(clientId: string, changes: UpdateApplicationInput): Promise<ApiResult<Application>> {
  return requestV1(pathOf(clientId), ApplicationSchema, { method: 'PATCH', body: changes });
}

export async function deleteApplication(clientId: string): Promise<ApiResult<true>> {
  const result = await requestV1(pathOf(clientId), ApplicationDeletedSchema, { method: 'DELETE' });
  return result.ok ? { ok: true, data: true } : result;
}

export function rotateApplicationSecret(clientId: string): Promise<ApiResult<ApplicationWithSecret>> {
  return requestV1(pathOf(clientId, '/rotate-secret'), ApplicationWithSecretSchema, { method: 'POST' });
}

export function fetchApplicationActivity(clientId: string): Promise<ApiResult<ApplicationActivity>> {
  return requestV1(pathOf(clientId, '/activity'), ApplicationActivitySchema);
}
