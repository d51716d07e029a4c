import { ref } from 'vue';
import type { SignInWechatOAuthInput } from '@wechat-login/server/wechat-client';
import { useLeavingFlag } from './use-leaving-flag';
import { errorCodeOf } from './use-wechat-qr-login';
import type { WechatLoginClient } from './wechat-login-client';

export interface WechatOAuthSignInOptions {
  client: WechatLoginClient;
  redirects: () => SignInWechatOAuthInput;
  onError: (code: string) => void;
}

/**
 * The one-tap sign-in inside WeChat: ask the server for WeChat's authorization page, and let better-auth's
 * client go there. `leaving` stays true once the browser is on its way, so a second tap does not start a
 * second round trip; `errorCode` holds why the server refused to start one.
 */
export function useWechatOAuthSignIn(options: WechatOAuthSignInOptions) {
  const leaving = useLeavingFlag();
  const errorCode = ref<string | null>(null);

  async function signIn(): Promise<void> {
    if (leaving.value) return;
    leaving.value = true;
    errorCode.value = null;
    let code: string;
    try {
      const response = await options.client.signInWechatOAuth(options.redirects());
      if (response.data?.url && !response.error) return;
      code = response.error?.code ?? (response.error?.status === 429 ? 'RATE_LIMITED' : 'UNKNOWN');
    } catch (error) {
      code = errorCodeOf(error);
    }
    leaving.value = false;
    errorCode.value = code;
    options.onError(code);
  }

  return { leaving, errorCode, signIn };
}
