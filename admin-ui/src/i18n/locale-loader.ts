import type { Composer } from 'vue-i18n';
import type { AppLocale } from './locale-preference';
import zhCN, { type MessageSchema } from './locales/zh-CN';

/** The part of vue-i18n's global composer that switching languages touches. */
export type LocaleTarget = Pick<Composer, 'locale' | 'availableLocales' | 'setLocaleMessage'>;

/**
 * Each language's messages. Chinese, the default, is in the first download; English is a chunk of its own,
 * fetched only by someone who chooses it, so the sign-in page does not carry a language it does not show.
 */
const MESSAGE_LOADERS: Record<AppLocale, () => Promise<MessageSchema>> = {
  'zh-CN': async () => zhCN,
  en: () => import('./locales/en').then((module) => module.default),
};

/** The language each i18n was last asked for: a slow download must not undo a later choice. */
const latestRequest = new WeakMap<LocaleTarget, AppLocale>();

/**
 * Makes `next` the UI language once its messages are here (downloaded once; Element Plus's own words for
 * both languages are bundled: element-plus-locale.ts). Until then the page keeps its current language.
 * Rejects when the download fails; the language then stays as it was. Resolves false when another
 * language was asked for meanwhile.
 */
export async function applyAppLocale(i18n: LocaleTarget, next: AppLocale): Promise<boolean> {
  latestRequest.set(i18n, next);
  const messages = i18n.availableLocales.includes(next) ? null : await MESSAGE_LOADERS[next]();
  if (latestRequest.get(i18n) !== next) return false;
  if (messages) i18n.setLocaleMessage(next, messages);
  i18n.locale.value = next;
  return true;
}
