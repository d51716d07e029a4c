import { flushPromises } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AdminUserDetail } from '@wechat-login/shared';
import { NEVER_SIGNED_IN_USER, WECHAT_ONLY_USER } from '@/test-support/admin-user-fixtures';
import { mountWithApp } from '@/test-support/mount-with-app';
import { stubClipboard } from '@/test-support/user-agents';
import UserSummaryCard from './UserSummaryCard.vue';

/** Three days after the fixture's last sign-in (2026-03-02 08:30:00 UTC). */
const NOW = new Date('2026-03-05T09:00:00Z');

function mountSummary(user: AdminUserDetail, locale: 'en' | 'zh-CN' = 'en') {
  return mountWithApp(UserSummaryCard, { props: { user }, locale });
}

function stubCopyCommand(works: boolean) {
  const execCommand = vi.fn((_command: string) => works);
  Object.defineProperty(document, 'execCommand', { value: execCommand, configurable: true });
  return execCommand;
}

describe("the admin's summary of a user", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
  });
  afterEach(() => {
    vi.useRealTimers();
    Reflect.deleteProperty(document, 'execCommand');
  });

  it('copies the user id to the clipboard and says so', async () => {
    const writeText = stubClipboard();
    const summary = mountSummary(WECHAT_ONLY_USER);
    expect(summary.get('[data-testid="user-id"]').text()).toBe(WECHAT_ONLY_USER.id);

    await summary.get('[data-testid="copy-user-id"]').trigger('click');
    await flushPromises();

    expect(writeText).toHaveBeenCalledWith(WECHAT_ONLY_USER.id);
    expect(summary.get('[data-testid="copy-user-id"]').text()).toBe('Copied');
    expect(document.body.textContent).toContain('User ID copied');
  });

  it('falls back to the copy command when the clipboard refuses (a page over plain http)', async () => {
    stubClipboard({ refuse: true });
    const execCommand = stubCopyCommand(true);
    const summary = mountSummary(WECHAT_ONLY_USER);

    await summary.get('[data-testid="copy-user-id"]').trigger('click');
    await flushPromises();

    expect(execCommand).toHaveBeenCalledWith('copy');
    expect(document.body.textContent).toContain('User ID copied');
    // The hidden field it copied from is gone again.
    expect(document.querySelector('textarea')).toBeNull();
  });

  it('selects the id and asks for Ctrl+C when nothing can copy', async () => {
    vi.spyOn(navigator, 'clipboard', 'get').mockReturnValue(undefined as unknown as Clipboard);
    stubCopyCommand(false);
    const summary = mountSummary(WECHAT_ONLY_USER);

    await summary.get('[data-testid="copy-user-id"]').trigger('click');
    await flushPromises();

    expect(window.getSelection()?.toString()).toBe(WECHAT_ONLY_USER.id);
    expect(document.body.textContent).toContain('press Ctrl+C');
    expect(summary.get('[data-testid="copy-user-id"]').text()).toBe('Copy');
  });

  it('marks a placeholder email as such, with no verification state', () => {
    const summary = mountSummary(WECHAT_ONLY_USER);
    expect(summary.get('[data-testid="summary-email"]').text()).toContain('placeholder');
    expect(summary.find('[data-testid="email-verification"]').exists()).toBe(false);
  });

  it("shows a real email's verification state", () => {
    expect(mountSummary(NEVER_SIGNED_IN_USER).get('[data-testid="email-verification"]').text()).toBe('not verified');
    document.body.innerHTML = '';
    expect(mountSummary({ ...NEVER_SIGNED_IN_USER, emailVerified: true }).get('[data-testid="email-verification"]').text()).toBe('verified');
  });

  it('shows the last sign-in: exact time, how long ago, method and address', () => {
    const summary = mountSummary(WECHAT_ONLY_USER);
    const lastSignIn = summary.get('[data-testid="summary-last-sign-in"]');
    expect(lastSignIn.get('time').attributes('datetime')).toBe('2026-03-02T08:30:00.000Z');
    expect(lastSignIn.text()).toContain('3 days ago');
    expect(lastSignIn.get('[data-testid="last-sign-in-method"]').text()).toBe('WeChat QR');
    expect(summary.get('[data-testid="summary-last-sign-in-ip"]').text()).toBe('203.0.113.7');
  });

  it('says when the address of the last sign-in is unknown, and in Chinese the in-app WeChat method', () => {
    const inApp = { ...WECHAT_ONLY_USER, lastSignIn: { at: new Date('2026-03-05T08:00:00Z'), method: 'wechat-oauth' as const, ip: null } };
    const summary = mountSummary(inApp, 'zh-CN');
    expect(summary.get('[data-testid="summary-last-sign-in"]').text()).toContain('1小时前');
    expect(summary.get('[data-testid="last-sign-in-method"]').text()).toBe('微信内登录');
    expect(summary.get('[data-testid="summary-last-sign-in-ip"]').text()).toBe('未知');
  });

  it('says when the user never signed in', () => {
    const summary = mountSummary(NEVER_SIGNED_IN_USER);
    expect(summary.get('[data-testid="summary-last-sign-in"]').text()).toBe('Never signed in');
    expect(summary.get('[data-testid="summary-last-sign-in-ip"]').text()).toBe('—');
  });
});
