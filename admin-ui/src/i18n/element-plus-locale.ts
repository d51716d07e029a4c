import type { Language } from 'element-plus/es/locale';
import elementEn from 'element-plus/es/locale/lang/en';
import elementZhCn from 'element-plus/es/locale/lang/zh-cn';
import type { AppLocale } from './locale-preference';

// Both bundled, unlike our own English messages: Element Plus falls back to its English words by itself, so
// they are in the first download whatever we do, and the Chinese ones are the default language's.
const ELEMENT_PLUS_LOCALES: Record<AppLocale, Language> = {
  'zh-CN': elementZhCn,
  en: elementEn,
};

export function elementPlusLocaleFor(locale: AppLocale): Language {
  return ELEMENT_PLUS_LOCALES[locale];
}
