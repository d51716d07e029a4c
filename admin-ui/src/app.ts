import ElementPlus from 'element-plus';
import { createPinia } from 'pinia';
import { createApp } from 'vue';
import type { RouterHistory } from 'vue-router';
import App from './App.vue';
import { spaWechatLoginClient } from './api/wechat-login';
import { WECHAT_LOGIN_CLIENT } from './components/wechat-login/wechat-login-client';
import { createAppI18n } from './i18n';
import { createAppRouter } from './router';

/** The whole SPA, unmounted: `main.ts` mounts it in the page, tests mount it with an in-memory history. */
export function createAdminApp(history?: RouterHistory) {
  const app = createApp(App);
  const router = createAppRouter(history);
  // Pinia first: the router's guard reads the session store.
  app.use(createPinia());
  app.use(createAppI18n());
  app.use(ElementPlus);
  app.use(router);
  // The WeChat QR widget (sign-in page, bind dialog) calls the server through the SPA's auth client.
  app.provide(WECHAT_LOGIN_CLIENT, spaWechatLoginClient);
  return { app, router };
}
