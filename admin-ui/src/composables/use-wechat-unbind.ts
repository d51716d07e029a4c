import { ElMessage } from 'element-plus';
import 'element-plus/es/components/message/style/css';
import type { ApiResult } from '@/api/api-result';
import type { ErrorMessageKey } from '@/i18n';
import { useConfirm } from './use-confirm';
import { useSubmit } from './use-submit';

/** The server's refusal while WeChat is the account's only way in: explained, since the user can do something about it. */
const ONLY_SIGN_IN_METHOD_KEY: ErrorMessageKey = 'errors.WECHAT_ONLY_SIGN_IN_METHOD';

/** The words of an unbind, already translated by the caller (the user's own account, or an admin's view of one). */
export interface WechatUnbindTexts {
  confirmTitle: string;
  confirmMessage: string;
  confirmLabel: string;
  unbound: string;
  onlyMethodTitle: string;
  onlyMethodExplanation: string;
}

/**
 * Unbinding WeChat, by the user or by an admin: it asks first; a refusal because WeChat is the only way in gets
 * an explanation (set a password first), any other a toast.
 */
export function useWechatUnbind(steps: { unbind: () => Promise<ApiResult<unknown>>; onUnbound: () => void }, texts: () => WechatUnbindTexts) {
  const { confirmDestructive, explain } = useConfirm();
  const { submitting: unbinding, submit } = useSubmit({ showErrorAs: 'toast' });

  async function unbindWechat(): Promise<void> {
    const words = texts();
    await submit({
      ready: () => confirmDestructive({ title: words.confirmTitle, message: words.confirmMessage, confirmLabel: words.confirmLabel }),
      send: steps.unbind,
      onSuccess: () => {
        ElMessage.success(words.unbound);
        steps.onUnbound();
      },
      onRefused: async (key) => {
        if (key !== ONLY_SIGN_IN_METHOD_KEY) return false;
        await explain(words.onlyMethodTitle, words.onlyMethodExplanation);
        return true;
      },
    });
  }

  return { unbinding, unbindWechat };
}
