import { ref, shallowRef, watch } from 'vue';
import type { AdminUserDetail } from '@wechat-login/shared';
import { fetchUserDetail } from '@/api/admin-users';
import type { ErrorMessageKey } from '@/i18n';

/** One user as the admin detail page shows it, reloaded after every change made there. */
export function useUserDetail(userId: () => string) {
  const user = shallowRef<AdminUserDetail | null>(null);
  const loading = ref(false);
  const errorKey = ref<ErrorMessageKey | null>(null);

  async function load(): Promise<void> {
    const requestedId = userId();
    loading.value = true;
    const result = await fetchUserDetail(requestedId);
    // The route may have moved on to another user while this one loaded.
    if (requestedId !== userId()) return;
    loading.value = false;
    user.value = result.ok ? result.data : null;
    errorKey.value = result.ok ? null : result.errorKey;
  }

  watch(userId, () => void load(), { immediate: true });

  return { user, loading, errorKey, load };
}
