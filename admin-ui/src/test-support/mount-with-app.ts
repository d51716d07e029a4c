import { mount } from '@vue/test-utils';
import type { Plugin } from 'vue';
import { createAppI18n } from '@/i18n';
import type { AppLocale } from '@/i18n/locale-preference';
import en from '@/i18n/locales/en';

/** The props `mount` takes for this component, checked against the component's own. */
type MountProps<T> = NonNullable<Parameters<typeof mount<T>>[1]>['props'];

export interface AppMountOptions<T> {
  props?: MountProps<T>;
  /** The UI language the component is shown in; the app's default, Chinese, unless a test says otherwise. */
  locale?: AppLocale;
  /** What else the component needs from the app: a Pinia store, a router. */
  plugins?: Plugin[];
  provide?: Record<string | symbol, unknown>;
}

/**
 * The app's i18n already in `locale`. The app downloads English when it is chosen (locale-loader.ts); a
 * component test is about the component, so English is handed over at once.
 */
function i18nIn(locale: AppLocale) {
  const i18n = createAppI18n();
  if (locale === 'en') i18n.global.setLocaleMessage('en', en);
  i18n.global.locale.value = locale;
  return i18n;
}

/**
 * Mounts a component as the app would show it: with the app's messages (its Element Plus components resolve
 * one by one, as in the build: vite.config.ts), attached to the page so that teleported dialogs, message
 * boxes and focus work (the page is emptied before each test: see page-reset.ts).
 */
export function mountWithApp<T>(component: T, { props, locale = 'zh-CN', plugins = [], provide = {} }: AppMountOptions<T> = {}) {
  return mount(component, { props, attachTo: document.body, global: { plugins: [...plugins, i18nIn(locale)], provide } });
}
