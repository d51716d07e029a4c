export const SUPPORTED_LOCALES = ['zh-CN', 'en'] as const;
export type AppLocale = (typeof SUPPORTED_LOCALES)[number];
export const DEFAULT_LOCALE: AppLocale = 'zh-CN';

/** Native names, so a reader can find their language whatever the current one is. */
export const LOCALE_NATIVE_NAMES: Record<AppLocale, string> = {
  'zh-CN': '简体中文',
  en: 'English',
};

const LOCALE_STORAGE_KEY = 'wechat-login.locale';

export function isSupportedLocale(value: unknown): value is AppLocale {
  return typeof value === 'string' && (SUPPORTED_LOCALES as readonly string[]).includes(value);
}

// Storage can throw (disabled cookies, some private modes); the language choice is not worth failing over.
export function readStoredLocale(storage: Pick<Storage, 'getItem'> | undefined = globalThis.localStorage): AppLocale {
  try {
    const stored = storage?.getItem(LOCALE_STORAGE_KEY);
    return isSupportedLocale(stored) ? stored : DEFAULT_LOCALE;
  } catch {
    return DEFAULT_LOCALE;
  }
}

export function storeLocale(locale: AppLocale, storage: Pick<Storage, 'setItem'> | undefined = globalThis.localStorage): void {
  try {
    storage?.setItem(LOCALE_STORAGE_KEY, locale);
  } catch {
    // Keep the choice for this page view only.
  }
}
