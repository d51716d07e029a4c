import { createAuthClient } from 'better-auth/client';
import { defineCustomElement } from 'vue';
import { wechatClient } from '@wechat-login/server/wechat-client';
import { API_V1_PATH } from '@wechat-login/shared';
import WechatLoginWidget from '@/components/wechat-login/WechatLoginWidget.vue';
import { type WechatLoginClient, WECHAT_LOGIN_CLIENT } from '@/components/wechat-login/wechat-login-client';

export const WECHAT_LOGIN_TAG = 'wechat-login';

/**
 * Asks the site (`GET /api/v1/pub/site`) whether web authorization is on; read by hand rather than through
 * the shared schema, which would pull zod's parser into the element.
 */
async function fetchWebAuthorizationFlag(origin: string): Promise<boolean> {
  const response = await fetch(`${origin}${API_V1_PATH}/pub/site`, { credentials: 'same-origin', headers: { accept: 'application/json' } });
  if (!response.ok) return false;
  const body = (await response.json()) as { data?: { wechat?: { webAuthorization?: unknown } } } | null;
  return body?.data?.wechat?.webAuthorization === true;
}

/** A better-auth client with only the WeChat plugin: the element signs in on the page's own origin. */
function createElementClient(): WechatLoginClient {
  const origin = window.location.origin;
  const client = createAuthClient({ baseURL: origin, plugins: [wechatClient()] });
  return {
    getQrcode: (input) => client.getQrcode(input),
    waitForScan: (sceneId, options) => client.waitForScan(sceneId, options),
    signInWechat: (input) => client.signInWechat(input),
    signInWechatOAuth: (input) => client.signInWechatOAuth(input),
    webAuthorizationAvailable: () => fetchWebAuthorizationFlag(origin),
  };
}

/**
 * `<wechat-login purpose="login|bind" lang="zh-CN|en" simulator-url="…">`: the sign-in page's QR widget
 * for any page of the same site. Events (`event.detail[0]` holds the value): `signed-in` (the user),
 * `scanned` ({sceneId, openid, …}, once the scan is confirmed on the phone), `error` (the error code).
 *
 * Inside WeChat, when the site has web authorization on, a sign-in element shows one button instead of a
 * QR code: the browser goes to WeChat's authorization page and comes back to `callback-url` signed in
 * (no `signed-in` event: it is a new page load), to `new-user-callback-url` after a first sign-in, or to
 * `error-callback-url` with `error=CODE` in its query. All three are same-origin paths and default to this
 * page. On other phones the QR code is a picture to save and scan from WeChat's album, with the steps.
 */
export const WechatLoginElement = defineCustomElement(WechatLoginWidget, {
  configureApp(app) {
    app.provide(WECHAT_LOGIN_CLIENT, createElementClient());
  },
});

if (!customElements.get(WECHAT_LOGIN_TAG)) customElements.define(WECHAT_LOGIN_TAG, WechatLoginElement);
