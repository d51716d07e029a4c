import { flushPromises } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import type { ApiResult } from '@/api/api-result';
import { WECHAT_ONLY_USER } from '@/test-support/admin-user-fixtures';
import { mountWithApp } from '@/test-support/mount-with-app';
import UserUsernameForm from './UserUsernameForm.vue';

const actions = vi.hoisted(() => ({
  setUserUsername: vi.fn<(userId: string, username: string) => Promise<ApiResult<unknown>>>(),
}));
vi.mock('@/api/admin-user-actions', () => actions);

async function submitUsername(value: string) {
  const form = mountWithApp(UserUsernameForm, { props: { user: WECHAT_ONLY_USER } });
  await form.get('input[name="username"]').setValue(value);
  await form.get('form').trigger('submit');
  await flushPromises();
  return form;
}

describe('setting a user\'s username as an admin', () => {
  it('saves the username as typed and tells the page to reload', async () => {
    actions.setUserUsername.mockResolvedValue({ ok: true, data: {} });
    const form = await submitUsername('Alice_1');

    expect(actions.setUserUsername).toHaveBeenCalledWith(WECHAT_ONLY_USER.id, 'Alice_1');
    expect(form.emitted('changed')).toHaveLength(1);
  });

  it('shows a taken username under the field, not as a page error', async () => {
    actions.setUserUsername.mockResolvedValue({ ok: false, errorKey: 'errors.USERNAME_IS_ALREADY_TAKEN' });
    const form = await submitUsername('ada');

    // Element Plus applies the item's `error` prop on its next render.
    await vi.waitFor(() => expect(form.get('.el-form-item.is-error').text()).toContain('该用户名已被使用'));
    expect(form.find('.el-alert').exists()).toBe(false);
    expect(form.emitted('changed')).toBeUndefined();
  });

  it('refuses a username the server would refuse, without asking it', async () => {
    const form = await submitUsername('a b');

    await vi.waitFor(() => expect(form.text()).toContain('用户名需为 3–30 个字母、数字、下划线或点'));
    expect(actions.setUserUsername).not.toHaveBeenCalled();
  });

  it('shows other failures above the form', async () => {
    actions.setUserUsername.mockResolvedValue({ ok: false, errorKey: 'errors.YOU_ARE_NOT_ALLOWED_TO_UPDATE_USERS' });
    const form = await submitUsername('alice');

    expect(form.get('[role="alert"]').text()).toContain('你没有修改用户的权限');
  });
});
