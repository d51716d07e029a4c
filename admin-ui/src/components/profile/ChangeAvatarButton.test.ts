import { flushPromises } from '@vue/test-utils';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { OwnProfile } from '@wechat-login/shared';
import type { ApiResult } from '@/api/api-result';
import { mountWithApp } from '@/test-support/mount-with-app';
import ChangeAvatarButton from './ChangeAvatarButton.vue';

const api = vi.hoisted(() => ({
  fetchOwnProfile: vi.fn<() => Promise<ApiResult<OwnProfile>>>(),
  uploadOwnAvatar: vi.fn<(file: Blob) => Promise<ApiResult<OwnProfile>>>(),
}));
vi.mock('@/api/profile', () => api);

const PROFILE: OwnProfile = {
  name: 'Alex',
  image: 'http://localhost:3000/api/v1/pub/avatars/0123456789abcdef01234567',
  profileCompletedAt: new Date(),
  // This server allows 200 KB only: the button must follow what the server says.
  avatarRules: { maxBytes: 200 * 1024, contentTypes: ['image/png', 'image/jpeg', 'image/webp', 'image/gif'] },
};

async function mountButton() {
  const button = mountWithApp(ChangeAvatarButton);
  await flushPromises();
  return button;
}

async function choose(button: Awaited<ReturnType<typeof mountButton>>, file: File): Promise<void> {
  const input = button.get('input[type="file"]');
  Object.defineProperty(input.element, 'files', { value: [file], configurable: true });
  await input.trigger('change');
  await flushPromises();
}

describe('the change-avatar button', () => {
  beforeEach(() => {
    api.fetchOwnProfile.mockResolvedValue({ ok: true, data: PROFILE });
  });

  it('uploads the chosen image at once and says the avatar changed', async () => {
    api.uploadOwnAvatar.mockResolvedValue({ ok: true, data: PROFILE });
    const button = await mountButton();
    const jpeg = new File([new Uint8Array([0xff, 0xd8, 0xff])], 'me.jpg', { type: 'image/jpeg' });
    await choose(button, jpeg);
    expect(api.uploadOwnAvatar).toHaveBeenCalledWith(jpeg);
    expect(button.emitted('changed')).toHaveLength(1);
  });

  it('refuses a file over the server\'s limit without uploading, and shows a server refusal', async () => {
    const button = await mountButton();
    await choose(button, new File([new Uint8Array(300 * 1024)], 'big.png', { type: 'image/png' }));
    expect(button.get('[role="alert"]').text()).toBe('图片太大：最大 200 KB');
    expect(api.uploadOwnAvatar).not.toHaveBeenCalled();

    api.uploadOwnAvatar.mockResolvedValue({ ok: false, errorKey: 'errors.UNSUPPORTED_AVATAR_TYPE' });
    await choose(button, new File(['<svg/>'], 'fake.png', { type: 'image/png' }));
    expect(button.get('[role="alert"]').text()).toBe('只能上传 PNG、JPEG、WebP 或 GIF 图片');
    expect(button.emitted('changed')).toBeUndefined();
  });
});
