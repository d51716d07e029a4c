import { flushPromises } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import type { AdminUserDetail } from '@wechat-login/shared';
import type { ApiResult } from '@/api/api-result';
import { mountWithApp } from '@/test-support/mount-with-app';
import UserProfileForm from './UserProfileForm.vue';

const actions = vi.hoisted(() => ({
  updateUserProfile: vi.fn<(userId: string, profile: { name: string; image: string | null }) => Promise<ApiResult<unknown>>>(),
}));
vi.mock('@/api/admin-user-actions', () => actions);

const at = new Date('2026-01-01T00:00:00Z');
const USER: AdminUserDetail = {
  id: '64b7f0c2a1e4d5f6a7b8c9d0', name: 'WeChat user abc123', email: 'oabc123@wechat.placeholder', emailIsPlaceholder: true,
  emailVerified: false, username: null, displayUsername: null, image: null, role: 'user', banned: false, banReason: null,
  banExpires: null, signInMethods: ['wechat'], profileCompletedAt: null, createdAt: at, updatedAt: at, accounts: [],
};

async function submitAvatar(url: string) {
  const form = mountWithApp(UserProfileForm, { props: { user: USER }, locale: 'en' });
  await form.get('input[name="avatarUrl"]').setValue(url);
  await form.get('form').trigger('submit');
  await flushPromises();
  return form;
}

describe("editing a user's profile as an admin", () => {
  it('says which pictures are accepted, and allows no longer name than the server does', async () => {
    const form = mountWithApp(UserProfileForm, { props: { user: USER }, locale: 'en' });
    expect(form.text()).toContain('thirdwx.qlogo.cn');
    expect(form.get('input[name="name"]').attributes('maxlength')).toBe('40');
  });

  it("shows the server's refusal of a picture from another host in words", async () => {
    actions.updateUserProfile.mockResolvedValue({ ok: false, errorKey: 'errors.INVALID_IMAGE_URL' });
    const form = await submitAvatar('https://tracker.example/pixel.png');

    expect(actions.updateUserProfile).toHaveBeenCalledWith(USER.id, { name: USER.name, image: 'https://tracker.example/pixel.png' });
    expect(form.get('[role="alert"]').text()).toContain('an https picture from WeChat');
    expect(form.emitted('changed')).toBeUndefined();
  });
});
