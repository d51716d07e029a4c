import { type AuditEvent, type AuditEventPage, AuditEventPageSchema, type AuditEventsQueryInput, RecentSignInsSchema } from '@wechat-login/shared';
import type { ApiResult } from './api-result';
import { requestV1 } from './v1-request';

/** The audit trail: `/api/v1/admin/audit-events` (admins) and `/api/v1/me/sign-ins` (everyone, their own). */

export function fetchAuditEventPage(query: AuditEventsQueryInput): Promise<ApiResult<AuditEventPage>> {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') params.set(name, value instanceof Date ? value.toISOString() : String(value));
  }
  return requestV1(`/admin/audit-events?${params.toString()}`, AuditEventPageSchema);
}

export async function fetchOwnSignIns(): Promise<ApiResult<AuditEvent[]>> {
  const result = await requestV1('/me/sign-ins', RecentSignInsSchema);
  return result.ok ? { ok: true, data: result.data.items } : result;
}
