import { ref } from 'vue';
import type { WechatOAuthRedirects } from '@wechat-login/server/wechat-client';
import type { WechatBinding } from '@wechat-login/shared';
import type { ApiResult } from '@/api/api-result';
import { bindWechat, bindWechatByWebAuthorization, checkWechatBinding, unbindWechat } from '@/api/wechat-binding';
import type { ErrorMessageKey } from '@/i18n';

/** The signed-in user's WeChat binding: read it, bind a scanned code (or, inside WeChat, this WeChat), unbind. */
export function useWechatBinding() {
  const binding = ref<WechatBinding | null>(null);
  const loading = ref(false);
  const errorKey = ref<ErrorMessageKey | null>(null);

  async function load(): Promise<void> {
    loading.value = true;
    errorKey.value = null;
    const result = await checkWechatBinding();
    loading.value = false;
    binding.value = result.ok ? result.data : null;
    errorKey.value = result.ok ? null : result.errorKey;
  }

  /** Binds the WeChat that scanned the bind code of `sceneId`, then re-reads the binding. */
  async function bind(sceneId: string): Promise<ApiResult<unknown>> {
    const result = await bindWechat(sceneId);
    if (result.ok) await load();
    return result;
  }

  /** Inside WeChat: on success the browser leaves for WeChat's authorization page and comes back by a page load. */
  function bindByWebAuthorization(redirects: WechatOAuthRedirects): Promise<ApiResult<unknown>> {
    return bindWechatByWebAuthorization(redirects);
  }

  /** Unbinds, then re-reads the binding; refused while WeChat is the only way in (see use-wechat-unbind.ts). */
  async function unbind(): Promise<ApiResult<unknown>> {
    const result = await unbindWechat();
    if (result.ok) await load();
    return result;
  }

  return { binding, loading, errorKey, load, bind, bindByWebAuthorization, unbind };
}
