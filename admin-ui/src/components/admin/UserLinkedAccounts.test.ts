import { flushPromises } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import type { ApiResult } from '@/api/api-result';
import { WECHAT_ONLY_USER } from '@/test-support/admin-user-fixtures';
import { mountWithApp } from '@/test-support/mount-with-app';
import UserLinkedAccounts from './UserLinkedAccounts.vue';

const api = vi.hoisted(() => ({ unbindUserWechat: vi.fn<(userId: string) => Promise<ApiResult<{ unbound: true }>>>() }));
vi.mock('@/api/admin-users', () => api);

const dialogs = vi.hoisted(() => ({ confirmDestructive: vi.fn(async () => true), explain: vi.fn(async () => {}) }));
vi.mock('@/composables/use-confirm', () => ({ useConfirm: () => dialogs }));

async function unbindAsAdmin() {
  const card = mountWithApp(UserLinkedAccounts, { props: { user: WECHAT_ONLY_USER }, locale: 'en' });
  await flushPromises(); // el-table renders its rows after mounting
  await card.get('.el-table__body button').trigger('click');
  await flushPromises();
  return card;
}

describe("unbinding a user's WeChat as an admin", () => {
  it('asks first, naming the user, then unbinds and tells the page', async () => {
    api.unbindUserWechat.mockResolvedValue({ ok: true, data: { unbound: true } });
    const card = await unbindAsAdmin();

    expect(dialogs.confirmDestructive).toHaveBeenCalledWith(expect.objectContaining({ message: expect.stringContaining('WeChat user abc123') }));
    expect(api.unbindUserWechat).toHaveBeenCalledWith(WECHAT_ONLY_USER.id);
    expect(card.emitted('changed')).toHaveLength(1);
  });

  it("explains, in the admin's words, why WeChat cannot go while it is the user's only way in", async () => {
    api.unbindUserWechat.mockResolvedValue({ ok: false, errorKey: 'errors.WECHAT_ONLY_SIGN_IN_METHOD' });
    const card = await unbindAsAdmin();

    expect(dialogs.explain).toHaveBeenCalledWith('WeChat cannot be unbound', expect.stringContaining('Set a password for them first'));
    expect(card.emitted('changed')).toBeUndefined();
  });
});
