import { createAuthClient } from 'better-auth/client';
import { defineCustomElement } from 'vue';
import { wechatClient } from '@wechat-login/server/wechat-client';
import WechatLoginWidget from '@/components/wechat-login/WechatLoginWidget.vue';
import { type WechatLoginClient, WECHAT_LOGIN_CLIENT } from '@/components/wechat-login/wechat-login-client';

export const WECHAT_LOGIN_TAG = 'wechat-login';

/** A better-auth client with only the WeChat plugin: the element signs in on the page's own origin. */
function createElementClient(): WechatLoginClient {
  const client = createAuthClient({ baseURL: window.location.origin, plugins: [wechatClient()] });
  return {
    getQrcode: (input) => client.getQrcode(input),
    waitForScan: (sceneId, options) => client.waitForScan(sceneId, options),
    signInWechat: (input) => client.signInWechat(input),
  };
}

/**
 * `<wechat-login purpose="login|bind" lang="zh-CN|en" simulator-url="…">`: the sign-in page's QR widget
 * for any page of the same site. Events (`event.detail[0]` holds the value): `signed-in` (the user),
 * `scanned` ({sceneId, openid, …}, once the scan is confirmed on the phone), `error` (the error code).
 */
export const WechatLoginElement = defineCustomElement(WechatLoginWidget, {
  configureApp(app) {
    app.provide(WECHAT_LOGIN_CLIENT, createElementClient());
  },
});

if (!customElements.get(WECHAT_LOGIN_TAG)) customElements.define(WECHAT_LOGIN_TAG, WechatLoginElement);
