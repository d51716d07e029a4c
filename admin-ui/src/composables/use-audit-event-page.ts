import { ref, shallowRef, watch } from 'vue';
import type { AuditEvent, AuditEventsQueryInput } from '@wechat-login/shared';
import { fetchAuditEventPage } from '@/api/audit-events';
import type { ErrorMessageKey } from '@/i18n';

/**
 * One page of audit events for a reactive query, loaded again whenever the query
 * changes. Shared by the Activity page (query from the URL) and a user's History card.
 */
export function useAuditEventPage(query: () => AuditEventsQueryInput) {
  const events = shallowRef<AuditEvent[]>([]);
  const total = ref(0);
  const loading = ref(false);
  const errorKey = ref<ErrorMessageKey | null>(null);
  let latestRequestId = 0;

  async function load(): Promise<void> {
    const requestId = ++latestRequestId;
    loading.value = true;
    errorKey.value = null;
    const result = await fetchAuditEventPage(query());
    // A slow answer for an old query must not overwrite the page on screen now.
    if (requestId !== latestRequestId) return;
    loading.value = false;
    events.value = result.ok ? result.data.items : [];
    total.value = result.ok ? result.data.total : 0;
    errorKey.value = result.ok ? null : result.errorKey;
  }

  watch(() => JSON.stringify(query()), () => void load());

  return { events, total, loading, errorKey, load };
}
