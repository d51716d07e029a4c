import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAppI18n } from './index';
import { applyAppLocale } from './locale-loader';

describe('switching the UI language', () => {
  afterEach(() => {
    vi.doUnmock('./locales/en');
    vi.resetModules();
  });

  it('starts with Chinese alone, and downloads English when it is chosen', async () => {
    const i18n = createAppI18n();
    expect(i18n.global.availableLocales).toEqual(['zh-CN']);
    expect(i18n.global.t('signIn.title')).toBe('登录');

    expect(await applyAppLocale(i18n.global, 'en')).toBe(true);

    expect(i18n.global.locale.value).toBe('en');
    expect(i18n.global.t('signIn.title')).toBe('Sign in');
    // Back and forth needs no second download.
    expect(await applyAppLocale(i18n.global, 'zh-CN')).toBe(true);
    expect(await applyAppLocale(i18n.global, 'en')).toBe(true);
    expect(i18n.global.t('signIn.submit')).toBe('Sign in');
  });

  it('keeps the later choice when the earlier one is still downloading', async () => {
    const i18n = createAppI18n();

    const english = applyAppLocale(i18n.global, 'en');
    const chinese = applyAppLocale(i18n.global, 'zh-CN');

    expect(await chinese).toBe(true);
    expect(await english).toBe(false);
    expect(i18n.global.locale.value).toBe('zh-CN');
  });

  it('stays in its language when English cannot be downloaded', async () => {
    vi.resetModules();
    vi.doMock('./locales/en', () => {
      throw new Error('Failed to fetch dynamically imported module');
    });
    const fresh = { ...(await import('./index')), ...(await import('./locale-loader')) };
    const i18n = fresh.createAppI18n();

    await expect(fresh.applyAppLocale(i18n.global, 'en')).rejects.toThrow();

    expect(i18n.global.locale.value).toBe('zh-CN');
    expect(i18n.global.availableLocales).toEqual(['zh-CN']);
  });
});
