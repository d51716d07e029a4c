import { flushPromises } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import type { ApiResult } from '@/api/api-result';
import { WECHAT_ONLY_USER } from '@/test-support/admin-user-fixtures';
import { mountWithApp } from '@/test-support/mount-with-app';
import UserProfileForm from './UserProfileForm.vue';

const actions = vi.hoisted(() => ({
  updateUserProfile: vi.fn<(userId: string, profile: { name: string; image: string | null }) => Promise<ApiResult<unknown>>>(),
}));
vi.mock('@/api/admin-user-actions', () => actions);

async function submitAvatar(url: string) {
  const form = mountWithApp(UserProfileForm, { props: { user: WECHAT_ONLY_USER }, locale: 'en' });
  await form.get('input[name="avatarUrl"]').setValue(url);
  await form.get('form').trigger('submit');
  await flushPromises();
  return form;
}

describe("editing a user's profile as an admin", () => {
  it('says which pictures are accepted, and allows no longer name than the server does', async () => {
    const form = mountWithApp(UserProfileForm, { props: { user: WECHAT_ONLY_USER }, locale: 'en' });
    expect(form.text()).toContain('thirdwx.qlogo.cn');
    expect(form.get('input[name="name"]').attributes('maxlength')).toBe('40');
  });

  it("shows the server's refusal of a picture from another host in words", async () => {
    actions.updateUserProfile.mockResolvedValue({ ok: false, errorKey: 'errors.INVALID_IMAGE_URL' });
    const form = await submitAvatar('https://tracker.example/pixel.png');

    expect(actions.updateUserProfile).toHaveBeenCalledWith(WECHAT_ONLY_USER.id, { name: WECHAT_ONLY_USER.name, image: 'https://tracker.example/pixel.png' });
    expect(form.get('[role="alert"]').text()).toContain('an https picture from WeChat');
    expect(form.emitted('changed')).toBeUndefined();
  });
});
