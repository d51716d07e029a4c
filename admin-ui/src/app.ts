import { createPinia } from 'pinia';
import { createApp } from 'vue';
import type { RouterHistory } from 'vue-router';
import App from './App.vue';
import { spaWechatLoginClient } from './api/wechat-login';
import { withLoginQrcodePrefetch } from './components/sign-in/login-qrcode-prefetch';
import { WECHAT_LOGIN_CLIENT } from './components/wechat-login/wechat-login-client';
import { createAppI18n } from './i18n';
import { applyAppLocale } from './i18n/locale-loader';
import { readStoredLocale } from './i18n/locale-preference';
import { createAppRouter } from './router';

/**
 * The whole SPA, unmounted: `main.ts` mounts it in the page, tests mount it with an in-memory history.
 * `localeReady` settles once the language chosen on an earlier visit is loaded (at once for Chinese, the
 * bundled default): mounting after it means the page never flashes in the wrong language. If it cannot be
 * downloaded it still settles, and the page shows in Chinese.
 */
export function createAdminApp(history?: RouterHistory) {
  const app = createApp(App);
  const router = createAppRouter(history);
  const pinia = createPinia();
  const i18n = createAppI18n();
  // Pinia first: the router's guard reads the session store.
  app.use(pinia);
  app.use(i18n);
  app.use(router);
  // The WeChat QR widget (sign-in page, bind dialog) calls the server through the SPA's auth client; the
  // sign-in page's first QR code may have been asked for before the page loaded (sign-in-preload.ts).
  const wechatLogin = withLoginQrcodePrefetch(spaWechatLoginClient);
  app.provide(WECHAT_LOGIN_CLIENT, wechatLogin.client);
  const localeReady = applyAppLocale(i18n.global, readStoredLocale()).then(
    () => undefined,
    () => undefined,
  );
  return { app, router, pinia, localeReady, prefetchLoginQrcode: wechatLogin.prefetchLoginQrcode };
}
