import { ElMessageBox } from 'element-plus';
import 'element-plus/es/components/message-box/style/css';
import { useI18n } from 'vue-i18n';

export interface ConfirmRequest {
  title: string;
  message: string;
  /** The confirm button's words; "OK" when unset. */
  confirmLabel?: string;
}

/** Every destructive action goes through here: a dialog the user must confirm, or nothing happens. */
export function useConfirm() {
  const { t } = useI18n();

  async function confirmDestructive({ title, message, confirmLabel }: ConfirmRequest): Promise<boolean> {
    try {
      await ElMessageBox.confirm(message, title, {
        type: 'warning',
        confirmButtonText: confirmLabel ?? t('common.confirm'),
        cancelButtonText: t('common.cancel'),
        confirmButtonClass: 'el-button--danger',
      });
      return true;
    } catch {
      return false; // cancelled or closed
    }
  }

  /** An explanation with one button: for refusals the user can do something about. */
  async function explain(title: string, message: string): Promise<void> {
    await ElMessageBox.alert(message, title, { type: 'warning', confirmButtonText: t('common.confirm') }).catch(() => undefined);
  }

  return { confirmDestructive, explain };
}
