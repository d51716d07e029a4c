import { flushPromises } from '@vue/test-utils';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { AdminUserDetail, OwnProfile } from '@wechat-login/shared';
import type { ApiResult } from '@/api/api-result';
import { NEVER_SIGNED_IN_USER, WECHAT_ONLY_USER } from '@/test-support/admin-user-fixtures';
import { mountWithApp } from '@/test-support/mount-with-app';
import UserAvatarCard from './UserAvatarCard.vue';

const api = vi.hoisted(() => ({
  uploadUserAvatar: vi.fn<(userId: string, image: Blob) => Promise<ApiResult<AdminUserDetail>>>(),
  removeUserAvatar: vi.fn<(userId: string) => Promise<ApiResult<AdminUserDetail>>>(),
}));
vi.mock('@/api/admin-users', () => api);

const profile = vi.hoisted(() => ({ fetchOwnProfile: vi.fn<() => Promise<ApiResult<OwnProfile>>>() }));
vi.mock('@/api/profile', () => profile);

const dialogs = vi.hoisted(() => ({ confirmDestructive: vi.fn(async () => true), explain: vi.fn(async () => {}) }));
vi.mock('@/composables/use-confirm', () => ({ useConfirm: () => dialogs }));

/** The admin's own profile says this server's rules: 200 KB, PNG and JPEG only. */
const ADMIN_PROFILE: OwnProfile = {
  name: 'admin',
  image: null,
  profileCompletedAt: null,
  avatarRules: { maxBytes: 200 * 1024, contentTypes: ['image/png', 'image/jpeg'] },
};
const PNG = new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], 'face.png', { type: 'image/png' });

async function mountCard(user: AdminUserDetail = WECHAT_ONLY_USER) {
  const card = mountWithApp(UserAvatarCard, { props: { user }, locale: 'en' });
  await flushPromises();
  return card;
}

async function choose(card: Awaited<ReturnType<typeof mountCard>>, file: File): Promise<void> {
  const input = card.get('[data-testid="user-avatar-input"]');
  Object.defineProperty(input.element, 'files', { value: [file], configurable: true });
  await input.trigger('change');
  await flushPromises();
}

describe("an admin changing a user's avatar", () => {
  beforeEach(() => {
    profile.fetchOwnProfile.mockResolvedValue({ ok: true, data: ADMIN_PROFILE });
  });

  it('uploads the chosen picture for this user and tells the page', async () => {
    api.uploadUserAvatar.mockResolvedValue({ ok: true, data: { ...WECHAT_ONLY_USER, image: '/api/v1/pub/avatars/1' } });
    const card = await mountCard();
    expect(card.get('[data-testid="user-avatar-input"]').attributes('accept')).toBe('image/png,image/jpeg');
    expect(card.text()).toContain('up to 200 KB');

    await choose(card, PNG);

    expect(api.uploadUserAvatar).toHaveBeenCalledWith(WECHAT_ONLY_USER.id, PNG);
    expect(card.emitted('changed')).toHaveLength(1);
    expect(document.body.textContent).toContain('Avatar updated');
  });

  it("refuses, without sending it, a type or a size the server's rules do not allow", async () => {
    const card = await mountCard();

    await choose(card, new File(['GIF89a'], 'spin.gif', { type: 'image/gif' }));
    expect(card.get('[role="alert"]').text()).toContain('Only PNG, JPEG, WebP or GIF');

    await choose(card, new File([new Uint8Array(200 * 1024 + 1)], 'huge.png', { type: 'image/png' }));
    expect(card.get('[role="alert"]').text()).toBe('The image is too large: at most 200 KB');

    expect(api.uploadUserAvatar).not.toHaveBeenCalled();
    expect(card.emitted('changed')).toBeUndefined();
  });

  it("shows the server's refusal of the bytes (a renamed file) in words", async () => {
    api.uploadUserAvatar.mockResolvedValue({ ok: false, errorKey: 'errors.UNSUPPORTED_AVATAR_TYPE' });
    const card = await mountCard();

    await choose(card, PNG);

    expect(card.get('[role="alert"]').text()).toBe('Only PNG, JPEG, WebP or GIF images can be uploaded');
    expect(card.emitted('changed')).toBeUndefined();
  });

  it('shows the upload in progress and takes no second action meanwhile', async () => {
    let answer: (result: ApiResult<AdminUserDetail>) => void = () => {};
    api.uploadUserAvatar.mockReturnValue(new Promise((resolve) => (answer = resolve)));
    const card = await mountCard(NEVER_SIGNED_IN_USER);

    await choose(card, PNG);
    const uploadButton = card.get('[data-testid="user-avatar-upload"]');
    expect(uploadButton.text()).toBe('Uploading…');
    expect(card.get('[data-testid="user-avatar-remove"]').attributes('disabled')).toBeDefined();
    expect(card.get('[aria-busy]').attributes('aria-busy')).toBe('true');

    answer({ ok: true, data: NEVER_SIGNED_IN_USER });
    await flushPromises();
    expect(uploadButton.text()).toBe('Upload a new picture');
  });

  it("uses the defaults (1 MB, the four types) when the server's rules cannot be read, and the server still decides", async () => {
    profile.fetchOwnProfile.mockResolvedValue({ ok: false, errorKey: 'errors.NETWORK_ERROR' });
    const card = await mountCard();
    expect(card.text()).toContain('up to 1 MB');
    expect(card.get('[data-testid="user-avatar-input"]').attributes('accept')).toBe('image/png,image/jpeg,image/webp,image/gif');
  });

  it('offers no removal when the user has no picture', async () => {
    const card = await mountCard(WECHAT_ONLY_USER);
    expect(card.find('[data-testid="user-avatar-remove"]').exists()).toBe(false);
    expect(card.text()).toContain('No avatar');
  });

  it('removes the picture only after the admin confirms, naming the user', async () => {
    api.removeUserAvatar.mockResolvedValue({ ok: true, data: { ...NEVER_SIGNED_IN_USER, image: null } });
    dialogs.confirmDestructive.mockResolvedValueOnce(false);
    const card = await mountCard(NEVER_SIGNED_IN_USER);
    expect(card.get('[data-testid="user-avatar"] img').attributes('src')).toBe(NEVER_SIGNED_IN_USER.image);

    await card.get('[data-testid="user-avatar-remove"]').trigger('click');
    await flushPromises();
    expect(api.removeUserAvatar).not.toHaveBeenCalled();

    await card.get('[data-testid="user-avatar-remove"]').trigger('click');
    await flushPromises();
    expect(dialogs.confirmDestructive).toHaveBeenLastCalledWith(expect.objectContaining({ message: expect.stringContaining('Grace Hopper') }));
    expect(api.removeUserAvatar).toHaveBeenCalledWith(NEVER_SIGNED_IN_USER.id);
    expect(card.emitted('changed')).toHaveLength(1);
    expect(document.body.textContent).toContain('Avatar removed');
  });

  it('says why a removal was refused', async () => {
    api.removeUserAvatar.mockResolvedValue({ ok: false, errorKey: 'errors.USER_NOT_FOUND' });
    const card = await mountCard(NEVER_SIGNED_IN_USER);

    await card.get('[data-testid="user-avatar-remove"]').trigger('click');
    await flushPromises();

    expect(card.get('[role="alert"]').text()).toBe('User not found');
    expect(card.emitted('changed')).toBeUndefined();
  });
});
