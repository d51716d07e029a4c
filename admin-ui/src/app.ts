import ElementPlus from 'element-plus';
import { createPinia } from 'pinia';
import { createApp } from 'vue';
import type { RouterHistory } from 'vue-router';
import App from './App.vue';
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
  return { app, router };
}
