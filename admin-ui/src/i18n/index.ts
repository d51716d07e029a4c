import { createI18n } from 'vue-i18n';
import en from './locales/en';
import zhCN, { type MessageSchema } from './locales/zh-CN';
import { type AppLocale, DEFAULT_LOCALE, readStoredLocale } from './locale-preference';

export type ErrorMessageKey = `errors.${keyof MessageSchema['errors']}`;

const dateTimeFormat = {
  dateTime: { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' },
} as const;

export function createAppI18n(locale: AppLocale = readStoredLocale()) {
  return createI18n({
    legacy: false,
    locale,
    fallbackLocale: DEFAULT_LOCALE,
    messages: { 'zh-CN': zhCN, en },
    datetimeFormats: { 'zh-CN': dateTimeFormat, en: dateTimeFormat },
  });
}
