import { computed } from 'vue';
import { useI18n } from 'vue-i18n';
import { applyAppLocale } from './locale-loader';
import { type AppLocale, DEFAULT_LOCALE, isSupportedLocale, storeLocale } from './locale-preference';

/** The current UI language and a way to change it that is remembered for the next visit. */
export function useAppLocale() {
  const i18n = useI18n({ useScope: 'global' });
  const { locale } = i18n;
  const currentLocale = computed<AppLocale>(() => (isSupportedLocale(locale.value) ? locale.value : DEFAULT_LOCALE));

  /**
   * Switches once the language's messages are downloaded (the first time it is chosen); remembered only when
   * the switch happened. Rejects when the download failed: the page stays in its language.
   */
  async function switchLocale(next: AppLocale): Promise<void> {
    if (await applyAppLocale(i18n, next)) storeLocale(next);
  }

  return { currentLocale, switchLocale };
}
