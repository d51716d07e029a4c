import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LastSignIn } from '@wechat-login/shared';
import { mountWithApp } from '@/test-support/mount-with-app';
import LastSignInCell from './LastSignInCell.vue';
import { exactTimeOf, relativeTimeOf } from './last-sign-in-display';

const NOW = new Date('2026-03-05T09:00:00Z');
const minutesBefore = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000);

describe('how long ago a sign-in was', () => {
  it.each([
    [0, 'now'],
    [0.75, '45 seconds ago'],
    [59, '59 minutes ago'],
    [60, '1 hour ago'],
    [60 * 24, 'yesterday'],
    [60 * 24 * 29, '29 days ago'],
    [60 * 24 * 45, 'last month'],
    [60 * 24 * 400, 'last year'],
  ])('%s minutes before now reads "%s"', (minutes, words) => {
    expect(relativeTimeOf(minutesBefore(minutes), NOW, 'en')).toBe(words);
  });

  it('says "now" for a time a little ahead of this browser\'s clock', () => {
    expect(relativeTimeOf(new Date(NOW.getTime() + 5_000), NOW, 'en')).toBe('now');
  });

  it('speaks Chinese', () => {
    expect(relativeTimeOf(minutesBefore(60 * 24 * 3), NOW, 'zh-CN')).toBe('3天前');
  });

  it('gives the exact time to the second', () => {
    expect(exactTimeOf(new Date(2026, 2, 2, 16, 30, 5), 'zh-CN')).toBe('2026/03/02 16:30:05');
  });
});

describe('the last sign-in cell of the users table', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
  });
  afterEach(() => vi.useRealTimers());

  function mountCell(lastSignIn: LastSignIn | null, locale: 'en' | 'zh-CN' = 'en') {
    return mountWithApp(LastSignInCell, { props: { lastSignIn }, locale });
  }

  it('shows how long ago with the method, and the exact time and address for hover, focus and screen readers', () => {
    const at = minutesBefore(120);
    const cell = mountCell({ at, method: 'username', ip: '198.51.100.9' });

    const time = cell.get('time');
    expect(time.text()).toBe('2 hours ago');
    expect(time.attributes('datetime')).toBe(at.toISOString());
    expect(time.attributes('tabindex')).toBe('0');
    expect(time.attributes('aria-label')).toBe(`${exactTimeOf(at, 'en')} · from 198.51.100.9`);
    expect(cell.get('[data-testid="last-sign-in-method"]').text()).toBe('Username');
  });

  it.each([
    ['wechat', 'WeChat QR', '微信扫码'],
    ['wechat-oauth', 'WeChat in-app', '微信内登录'],
    ['username', 'Username', '用户名'],
    ['email', 'Email', '邮箱'],
  ] as const)('names the %s method in both languages', (method, english, chinese) => {
    const at = minutesBefore(5);
    expect(mountCell({ at, method, ip: null }).get('[data-testid="last-sign-in-method"]').text()).toBe(english);
    expect(mountCell({ at, method, ip: null }, 'zh-CN').get('[data-testid="last-sign-in-method"]').text()).toBe(chinese);
  });

  it('leaves the address out of the exact time when the server did not know it', () => {
    const at = minutesBefore(5);
    expect(mountCell({ at, method: 'email', ip: null }).get('time').attributes('aria-label')).toBe(exactTimeOf(at, 'en'));
  });

  it('says "Never signed in" for a user who never did', () => {
    const cell = mountCell(null, 'zh-CN');
    expect(cell.text()).toBe('从未登录');
    expect(cell.find('time').exists()).toBe(false);
  });
});
