import { mount } from '@vue/test-utils';
import ElementPlus from 'element-plus';
import type { Plugin } from 'vue';
import { createAppI18n } from '@/i18n';
import type { AppLocale } from '@/i18n/locale-preference';

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
 * Mounts a component as the app would show it: with the app's messages and Element Plus, attached to the
 * page so that teleported dialogs, message boxes and focus work (the page is emptied before each test:
 * see page-reset.ts).
 */
export function mountWithApp<T>(component: T, { props, locale = 'zh-CN', plugins = [], provide = {} }: AppMountOptions<T> = {}) {
  return mount(component, { props, attachTo: document.body, global: { plugins: [...plugins, createAppI18n(locale), ElementPlus], provide } });
}
