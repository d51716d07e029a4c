import { computed } from 'vue';
import { useI18n } from 'vue-i18n';
import { type AppLocale, DEFAULT_LOCALE, isSupportedLocale, storeLocale } from './locale-preference';

/** The current UI language and a way to change it that is remembered for the next visit. */
export function useAppLocale() {
  const { locale } = useI18n({ useScope: 'global' });
  const currentLocale = computed<AppLocale>(() => (isSupportedLocale(locale.value) ? locale.value : DEFAULT_LOCALE));

  function switchLocale(next: AppLocale): void {
    locale.value = next;
    storeLocale(next);
  }

  return { currentLocale, switchLocale };
}
