import { ElMessage } from 'element-plus';
import 'element-plus/es/components/message/style/css';
import { ref } from 'vue';
import { useI18n } from 'vue-i18n';
import type { Application, ApplicationWithSecret } from '@wechat-login/shared';
import { deleteApplication, rotateApplicationSecret } from '@/api/applications';
import { useConfirm } from '@/composables/use-confirm';
import { useSubmit } from '@/composables/use-submit';

/**
 * What the list and the detail page do to an application besides editing it: rotate its secret and
 * delete it, each after a confirmation. A new secret goes to `shownSecret` for the one-time dialog.
 */
export function useApplicationActions(handlers: { onDeleted: (clientId: string) => unknown; onRotated?: (application: Application) => unknown }) {
  const { t } = useI18n();
  const { confirmDestructive } = useConfirm();
  const { submitting: busy, submit } = useSubmit({ showErrorAs: 'toast' });
  const shownSecret = ref<ApplicationWithSecret | null>(null);

  function rotateSecret(application: Application): Promise<boolean> {
    return submit({
      ready: () =>
        confirmDestructive({
          title: t('applications.rotate.confirmTitle'),
          message: t('applications.rotate.confirmMessage', { name: application.name }),
          confirmLabel: t('applications.rotate.confirm'),
        }),
      send: () => rotateApplicationSecret(application.clientId),
      onSuccess: async (result) => {
        shownSecret.value = result;
        await handlers.onRotated?.(result.application);
      },
    });
  }

  function remove(application: Application): Promise<boolean> {
    return submit({
      ready: () =>
        confirmDestructive({
          title: t('applications.delete.confirmTitle'),
          message: t('applications.delete.confirmMessage', { name: application.name }),
          confirmLabel: t('applications.delete.confirm'),
        }),
      send: () => deleteApplication(application.clientId),
      onSuccess: async () => {
        ElMessage.success(t('applications.delete.done'));
        await handlers.onDeleted(application.clientId);
      },
    });
  }

  /** The admin said they saved it: the secret leaves the page's memory. */
  function forgetSecret(): void {
    shownSecret.value = null;
  }

  return { busy, shownSecret, rotateSecret, remove, forgetSecret };
}
