import { describe, expect, it } from 'vitest';
import { readStoredLocale, storeLocale } from './locale-preference';

describe('the stored UI language', () => {
  it('defaults to zh-CN and remembers a switch to English', () => {
    localStorage.clear();
    expect(readStoredLocale()).toBe('zh-CN');
    storeLocale('en');
    expect(readStoredLocale()).toBe('en');
  });

  it('ignores a stored value it does not support', () => {
    localStorage.setItem('wechat-login.locale', 'fr');
    expect(readStoredLocale()).toBe('zh-CN');
  });

  it('falls back to zh-CN when storage is unavailable', () => {
    const throwingStorage = {
      getItem: (): string | null => {
        throw new DOMException('denied', 'SecurityError');
      },
    };
    expect(readStoredLocale(throwingStorage)).toBe('zh-CN');
  });
});
