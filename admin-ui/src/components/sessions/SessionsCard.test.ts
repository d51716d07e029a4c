import { flushPromises } from '@vue/test-utils';
import { createPinia } from 'pinia';
import { describe, expect, it, vi } from 'vitest';
import type { OwnSession } from '@/api/account';
import type { UserSessionRow } from '@/api/admin-user-actions';
import type { ApiResult } from '@/api/api-result';
import { mountWithApp } from '@/test-support/mount-with-app';
import SessionsCard from './SessionsCard.vue';

const own = vi.hoisted(() => ({
  listOwnSessions: vi.fn<() => Promise<ApiResult<OwnSession[]>>>(),
  revokeOwnSession: vi.fn<(token: string) => Promise<ApiResult<unknown>>>(),
}));
vi.mock('@/api/account', () => own);

const admin = vi.hoisted(() => ({
  listUserSessions: vi.fn<(userId: string) => Promise<ApiResult<UserSessionRow[]>>>(),
  revokeUserSession: vi.fn<(token: string) => Promise<ApiResult<unknown>>>(),
}));
vi.mock('@/api/admin-user-actions', () => admin);

const dialogs = vi.hoisted(() => ({ confirmDestructive: vi.fn(async () => true), explain: vi.fn(async () => {}) }));
vi.mock('@/composables/use-confirm', () => ({ useConfirm: () => dialogs }));

vi.mock('@/api/auth-client', () => ({ authClient: { getSession: vi.fn(async () => ({ data: null, error: null })) } }));

const USER_ID = '64b7f0c2a1e4d5f6a7b8c9d0';
const at = new Date('2026-01-02T03:04:05Z');
const PHONE: UserSessionRow = { id: 's1', token: 'token-phone', createdAt: at, expiresAt: at, ipAddress: '198.51.100.7', userAgent: null };
const IMPERSONATED: UserSessionRow = { ...PHONE, id: 's2', token: 'token-admin', impersonatedBy: 'a'.repeat(24) };

function mountCard(props: { userId?: string; revision?: number } = {}) {
  return mountWithApp(SessionsCard, { props, locale: 'en', plugins: [createPinia()] });
}

describe('the sessions card', () => {
  it('lists the signed-in user\'s own devices in the account page\'s words, and revokes one after asking', async () => {
    own.listOwnSessions.mockResolvedValueOnce({ ok: true, data: [PHONE] }).mockResolvedValueOnce({ ok: true, data: [] });
    own.revokeOwnSession.mockResolvedValue({ ok: true, data: {} });
    const card = mountCard();
    await flushPromises();
    expect(card.get('h2').text()).toBe('Signed-in devices');
    expect(card.text()).toContain('198.51.100.7');

    await card.get('[data-testid="sessions-table"] button').trigger('click');
    await flushPromises();

    expect(dialogs.confirmDestructive).toHaveBeenCalledWith(expect.objectContaining({ title: 'Sign out a device' }));
    expect(own.revokeOwnSession).toHaveBeenCalledWith('token-phone');
    expect(card.text()).toContain('No other devices are signed in');
    expect(admin.listUserSessions).not.toHaveBeenCalled();
    expect(admin.revokeUserSession).not.toHaveBeenCalled();
  });

  it('shows an admin the sessions of the user they look at, in the admin page\'s words, and reads them again on each change', async () => {
    admin.listUserSessions.mockResolvedValue({ ok: true, data: [IMPERSONATED] });
    admin.revokeUserSession.mockResolvedValue({ ok: true, data: {} });
    const card = mountCard({ userId: USER_ID, revision: 0 });
    await flushPromises();
    expect(admin.listUserSessions).toHaveBeenCalledWith(USER_ID);
    expect(card.get('h2').text()).toBe('Sessions');
    expect(card.text()).toContain('Impersonated by an admin');

    await card.setProps({ userId: USER_ID, revision: 1 });
    await flushPromises();
    expect(admin.listUserSessions).toHaveBeenCalledTimes(2);

    await card.get('[data-testid="sessions-table"] button').trigger('click');
    await flushPromises();
    expect(dialogs.confirmDestructive).toHaveBeenCalledWith(expect.objectContaining({ title: 'End session' }));
    expect(admin.revokeUserSession).toHaveBeenCalledWith('token-admin');
    expect(own.listOwnSessions).not.toHaveBeenCalled();
    expect(own.revokeOwnSession).not.toHaveBeenCalled();
  });

  it('revokes nothing when the confirmation is declined, and says when a revoke is refused', async () => {
    own.listOwnSessions.mockResolvedValue({ ok: true, data: [PHONE] });
    own.revokeOwnSession.mockResolvedValue({ ok: false, errorKey: 'errors.NETWORK_ERROR' });
    dialogs.confirmDestructive.mockResolvedValueOnce(false);
    const card = mountCard();
    await flushPromises();

    await card.get('[data-testid="sessions-table"] button').trigger('click');
    await flushPromises();
    expect(own.revokeOwnSession).not.toHaveBeenCalled();

    await card.get('[data-testid="sessions-table"] button').trigger('click');
    await flushPromises();
    expect(own.revokeOwnSession).toHaveBeenCalledTimes(1);
    await vi.waitFor(() => expect(document.querySelector('.el-message')?.textContent).toContain('Cannot reach the server'));
    expect(card.text()).toContain('198.51.100.7');
  });

  it('offers a retry when the list cannot be read', async () => {
    admin.listUserSessions.mockResolvedValueOnce({ ok: false, errorKey: 'errors.NETWORK_ERROR' }).mockResolvedValueOnce({ ok: true, data: [] });
    const card = mountCard({ userId: USER_ID, revision: 0 });
    await flushPromises();
    expect(card.text()).toContain('Could not load the sessions');

    await card.get('.el-result button').trigger('click');
    await flushPromises();
    expect(card.text()).toContain('No active sessions');
  });
});
