import { createI18n } from 'vue-i18n';
import zhCN, { type MessageSchema } from './locales/zh-CN';
import { DEFAULT_LOCALE } from './locale-preference';

export type ErrorMessageKey = `errors.${keyof MessageSchema['errors']}`;

const dateTimeFormat = {
  dateTime: { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' },
} as const;

/**
 * The app's i18n, in the default language. Only Chinese is bundled (it is also the fallback for a key a
 * translation lacks); another language is downloaded when it is chosen: see locale-loader.ts.
 */
export function createAppI18n() {
  return createI18n({
    legacy: false,
    locale: DEFAULT_LOCALE,
    fallbackLocale: DEFAULT_LOCALE,
    messages: { [DEFAULT_LOCALE]: zhCN } as Record<string, MessageSchema>,
    datetimeFormats: { 'zh-CN': dateTimeFormat, en: dateTimeFormat },
  });
}

export type AppI18n = ReturnType<typeof createAppI18n>;
