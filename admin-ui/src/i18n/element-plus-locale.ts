import type { Language } from 'element-plus/es/locale';
import elementEn from 'element-plus/es/locale/lang/en';
import elementZhCn from 'element-plus/es/locale/lang/zh-cn';
import type { AppLocale } from './locale-preference';

const ELEMENT_PLUS_LOCALES: Record<AppLocale, Language> = {
  'zh-CN': elementZhCn,
  en: elementEn,
};

export function elementPlusLocaleFor(locale: AppLocale): Language {
  return ELEMENT_PLUS_LOCALES[locale];
}
