import { ElMessage } from 'element-plus';
import 'element-plus/es/components/message/style/css';
import { ref } from 'vue';
import type { ApiResult } from '@/api/api-result';
import type { ErrorMessageKey } from '@/i18n';
import { useConfirm } from './use-confirm';
import { useSubmit } from './use-submit';

/** The words a sessions card shows, already translated by its caller. */
export interface SessionListTexts {
  revokeConfirmTitle: string;
  revokeConfirmMessage: string;
  revokeLabel: string;
  revoked: string;
}

/**
 * Loading, listing and revoking sessions, for the account page (own sessions)
 * and the admin user page (someone's sessions) alike: a revoke asks first.
 */
export function useSessionList<T>(calls: { list: () => Promise<ApiResult<T[]>>; revoke: (token: string) => Promise<ApiResult<unknown>> }, texts: () => SessionListTexts) {
  const { confirmDestructive } = useConfirm();
  const { submit } = useSubmit({ showErrorAs: 'toast' });
  const sessions = ref<T[]>([]);
  const loading = ref(false);
  const errorKey = ref<ErrorMessageKey | null>(null);
  /** The row whose revoke is on its way: only its button spins. */
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
    await submit({
      ready: () => confirmDestructive({ title: words.revokeConfirmTitle, message: words.revokeConfirmMessage, confirmLabel: words.revokeLabel }),
      send: async () => {
        revokingToken.value = token;
        try {
          return await calls.revoke(token);
        } finally {
          revokingToken.value = null;
        }
      },
      onSuccess: async () => {
        ElMessage.success(words.revoked);
        await load();
      },
    });
  }

  return { sessions, loading, errorKey, revokingToken, load, revoke };
}
