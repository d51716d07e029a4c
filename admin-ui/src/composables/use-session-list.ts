import { ElMessage } from 'element-plus';
import { ref } from 'vue';
import type { ApiResult } from '@/api/api-result';
import type { ErrorMessageKey } from '@/i18n';
import { useConfirm } from './use-confirm';

/** The words a sessions card shows, already translated by its caller. */
export interface SessionListTexts {
  revokeConfirmTitle: string;
  revokeConfirmMessage: string;
  revokeLabel: string;
  revoked: string;
  translate(key: ErrorMessageKey): string;
}

/**
 * Loading, listing and revoking sessions, for the account page (own sessions)
 * and the admin user page (someone's sessions) alike: a revoke asks first.
 */
export function useSessionList<T>(calls: { list: () => Promise<ApiResult<T[]>>; revoke: (token: string) => Promise<ApiResult<unknown>> }, texts: () => SessionListTexts) {
  const { confirmDestructive } = useConfirm();
  const sessions = ref<T[]>([]);
  const loading = ref(false);
  const errorKey = ref<ErrorMessageKey | null>(null);
  const revokingToken = ref<string | null>(null);

  async function load(): Promise<void> {
    loading.value = true;
    const result = await calls.list();
    loading.value = false;
    sessions.value = result.ok ? result.data : [];
    errorKey.value = result.ok ? null : result.errorKey;
  }

  async function revoke(token: string): Promise<void> {
    const words = texts();
    const confirmed = await confirmDestructive({ title: words.revokeConfirmTitle, message: words.revokeConfirmMessage, confirmLabel: words.revokeLabel });
    if (!confirmed) return;
    revokingToken.value = token;
    const result = await calls.revoke(token);
    revokingToken.value = null;
    if (!result.ok) {
      ElMessage.error(words.translate(result.errorKey));
      return;
    }
    ElMessage.success(words.revoked);
    await load();
  }

  return { sessions, loading, errorKey, revokingToken, load, revoke };
}
