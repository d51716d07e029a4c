import { ElMessage } from 'element-plus';
import { ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { useRouter } from 'vue-router';
import { ROUTE_NAMES } from '@/router/route-names';
import { useSessionStore } from '@/stores/session';

/** Sign-out as the header menu and the account page both offer it. */
export function useSignOut() {
  const session = useSessionStore();
  const router = useRouter();
  const { t } = useI18n();
  const signingOut = ref(false);

  async function signOut(): Promise<void> {
    signingOut.value = true;
    try {
      const result = await session.signOut();
      if (result.ok) await router.replace({ name: ROUTE_NAMES.signIn });
      else ElMessage.error(t(result.errorKey));
    } finally {
      signingOut.value = false;
    }
  }

  return { signingOut, signOut };
}
