import type { WechatLoginClient } from '@/components/wechat-login/wechat-login-client';
import { authClient } from './auth-client';

/** The WeChat login widget's calls, through the SPA's one better-auth client (so its session signal fires). */
export const spaWechatLoginClient: WechatLoginClient = {
  getQrcode: (input) => authClient.getQrcode(input),
  waitForScan: (sceneId, options) => authClient.waitForScan(sceneId, options),
  signInWechat: (input) => authClient.signInWechat(input),
  signInWechatOAuth: (input) => authClient.signInWechatOAuth(input),
};
