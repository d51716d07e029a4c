import { flushPromises } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import type { ApiResult } from '@/api/api-result';
import { mountWithApp } from '@/test-support/mount-with-app';
import PasswordCard from './PasswordCard.vue';

const api = vi.hoisted(() => ({
  setFirstPassword: vi.fn<(newPassword: string) => Promise<ApiResult<unknown>>>(async () => ({ ok: true, data: { status: true } })),
  changeOwnPassword: vi.fn<(input: object) => Promise<ApiResult<unknown>>>(async () => ({ ok: true, data: {} })),
}));
vi.mock('@/api/account', () => api);

function mountCard(hasPassword: boolean) {
  return mountWithApp(PasswordCard, { props: { hasPassword } });
}

async function fill(card: ReturnType<typeof mountCard>, fields: Record<string, string>) {
  for (const [name, value] of Object.entries(fields)) await card.get(`input[name="${name}"]`).setValue(value);
  await card.get('form').trigger('submit');
  await flushPromises();
}

describe('the password card', () => {
  it('lets a WeChat-only user set a first password, without asking for a current one', async () => {
    const card = mountCard(false);
    expect(card.find('input[name="currentPassword"]').exists()).toBe(false);
    expect(card.text()).toContain('你通过微信注册，还没有密码');

    await fill(card, { newPassword: 'first-password-1', repeatPassword: 'first-password-1' });

    expect(api.setFirstPassword).toHaveBeenCalledWith('first-password-1');
    expect(api.changeOwnPassword).not.toHaveBeenCalled();
    expect(card.emitted('passwordSet')).toHaveLength(1);
  });

  it('changes an existing password with the current one', async () => {
    const card = mountCard(true);

    await fill(card, { currentPassword: 'old-password', newPassword: 'new-password-2', repeatPassword: 'new-password-2' });

    expect(api.changeOwnPassword).toHaveBeenCalledWith({
      currentPassword: 'old-password',
      newPassword: 'new-password-2',
      revokeOtherSessions: true,
    });
    expect(api.setFirstPassword).not.toHaveBeenCalled();
  });

  it('sends nothing while the two new passwords differ or are too short', async () => {
    const card = mountCard(false);

    await fill(card, { newPassword: 'first-password-1', repeatPassword: 'first-password-2' });
    await vi.waitFor(() => expect(card.text()).toContain('两次输入的密码不一致'));
    await fill(card, { newPassword: 'short', repeatPassword: 'short' });
    await vi.waitFor(() => expect(card.text()).toContain('密码至少 8 个字符'));

    expect(api.setFirstPassword).not.toHaveBeenCalled();
  });

  it('shows the server refusal in the user\'s language', async () => {
    api.changeOwnPassword.mockResolvedValueOnce({ ok: false, errorKey: 'errors.INVALID_PASSWORD' });
    const card = mountCard(true);

    await fill(card, { currentPassword: 'wrong-password', newPassword: 'new-password-2', repeatPassword: 'new-password-2' });

    expect(card.get('[role="alert"]').text()).toContain('当前密码不正确');
    expect(card.emitted('passwordSet')).toBeUndefined();
  });
});
