import { flushPromises } from '@vue/test-utils';
import { createPinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { OwnProfile } from '@wechat-login/shared';
import type { ApiResult } from '@/api/api-result';
import { mountWithApp } from '@/test-support/mount-with-app';
import { routerAt } from '@/test-support/router-at';
import WelcomeView from './WelcomeView.vue';

const api = vi.hoisted(() => ({
  fetchOwnProfile: vi.fn<() => Promise<ApiResult<OwnProfile>>>(),
  uploadOwnAvatar: vi.fn<(file: Blob) => Promise<ApiResult<OwnProfile>>>(),
  completeOwnProfile: vi.fn<(input: { name?: string }) => Promise<ApiResult<OwnProfile>>>(),
}));
vi.mock('@/api/profile', () => api);
vi.mock('@/api/auth-client', () => ({ authClient: { getSession: vi.fn(async () => ({ data: null, error: null })) } }));

const NEW_PROFILE: OwnProfile = {
  name: 'WeChat user 1a2b3c',
  image: null,
  profileCompletedAt: null,
  avatarRules: { maxBytes: 1024 * 1024, contentTypes: ['image/png', 'image/jpeg', 'image/webp', 'image/gif'] },
};
const completed = (changes: Partial<OwnProfile>): ApiResult<OwnProfile> => ({ ok: true, data: { ...NEW_PROFILE, profileCompletedAt: new Date(), ...changes } });

async function mountWelcome(path = '/welcome?redirect=/admin/users/42') {
  const router = await routerAt(path, { path: '/welcome', name: 'welcome', component: WelcomeView });
  const wrapper = mountWithApp(WelcomeView, { locale: 'en', plugins: [createPinia(), router] });
  await flushPromises();
  return { wrapper, router };
}

async function chooseFile(wrapper: Awaited<ReturnType<typeof mountWelcome>>['wrapper'], file: File): Promise<void> {
  const input = wrapper.get('input[type="file"]');
  Object.defineProperty(input.element, 'files', { value: [file], configurable: true });
  await input.trigger('change');
}

describe('the welcome page', () => {
  beforeEach(() => {
    api.fetchOwnProfile.mockResolvedValue({ ok: true, data: NEW_PROFILE });
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: vi.fn(() => 'blob:preview'), revokeObjectURL: vi.fn() }));
  });

  it('offers the WeChat placeholder name, selected so typing replaces it', async () => {
    const { wrapper } = await mountWelcome();
    const input = wrapper.get<HTMLInputElement>('input[name="name"]').element;
    expect(input.value).toBe('WeChat user 1a2b3c');
    expect([input.selectionStart, input.selectionEnd]).toEqual([0, 'WeChat user 1a2b3c'.length]);
  });

  it('explains the name and avatar are still to choose when WeChat gave none', async () => {
    const { wrapper } = await mountWelcome();
    expect(wrapper.get('.welcome-intro').text()).toContain('WeChat no longer gives websites your nickname or avatar');
  });

  it('says the WeChat nickname and avatar were filled in, and leaves the nickname unselected', async () => {
    api.fetchOwnProfile.mockResolvedValue({ ok: true, data: { ...NEW_PROFILE, name: '小明', image: '/api/v1/pub/avatars/u1-abc' } });
    api.completeOwnProfile.mockResolvedValue(completed({ name: '小明' }));
    const { wrapper, router } = await mountWelcome();

    expect(wrapper.get('.welcome-intro').text()).toBe('We filled in your WeChat nickname and avatar: keep them or change them.');
    const input = wrapper.get<HTMLInputElement>('input[name="name"]').element;
    expect(input.value).toBe('小明');
    expect(input.selectionEnd! - input.selectionStart!).toBe(0);

    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(api.completeOwnProfile).toHaveBeenCalledWith({ name: '小明' });
    expect(router.currentRoute.value.fullPath).toBe('/admin/users/42');
  });

  it('does not claim a nickname was filled in when only an avatar came with the placeholder name', async () => {
    api.fetchOwnProfile.mockResolvedValue({ ok: true, data: { ...NEW_PROFILE, image: '/api/v1/pub/avatars/u1-abc' } });
    const { wrapper } = await mountWelcome();
    expect(wrapper.get('.welcome-intro').text()).not.toContain('We filled in');
  });

  it('uploads the chosen avatar, then saves the name, and goes on to where the user was going', async () => {
    api.uploadOwnAvatar.mockResolvedValue(completed({ image: 'http://localhost:3000/api/v1/pub/avatars/abc' }));
    api.completeOwnProfile.mockResolvedValue(completed({ name: 'Alex' }));
    const { wrapper, router } = await mountWelcome();
    await wrapper.get('input[name="name"]').setValue('  Alex ');
    const png = new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], 'me.png', { type: 'image/png' });
    await chooseFile(wrapper, png);

    await wrapper.get('form').trigger('submit');
    await flushPromises();

    expect(api.uploadOwnAvatar).toHaveBeenCalledWith(png);
    expect(api.completeOwnProfile).toHaveBeenCalledWith({ name: 'Alex' });
    expect(api.uploadOwnAvatar.mock.invocationCallOrder[0]!).toBeLessThan(api.completeOwnProfile.mock.invocationCallOrder[0]!);
    expect(router.currentRoute.value.fullPath).toBe('/admin/users/42');
  });

  it('keeps the user on the page with the server\'s reason when the avatar is refused, and completes nothing', async () => {
    api.uploadOwnAvatar.mockResolvedValue({ ok: false, errorKey: 'errors.UNSUPPORTED_AVATAR_TYPE' });
    const { wrapper, router } = await mountWelcome();
    await chooseFile(wrapper, new File(['<html>'], 'renamed.png', { type: 'image/png' }));

    await wrapper.get('form').trigger('submit');
    await flushPromises();

    expect(wrapper.text()).toContain('Only PNG, JPEG, WebP or GIF images can be uploaded');
    expect(api.completeOwnProfile).not.toHaveBeenCalled();
    expect(router.currentRoute.value.name).toBe('welcome');
  });

  it('checks the name before sending anything', async () => {
    const { wrapper } = await mountWelcome();
    await wrapper.get('input[name="name"]').setValue('   ');
    await wrapper.get('form').trigger('submit');
    await flushPromises();
    expect(wrapper.get('[role="alert"]').text()).toBe('Enter a display name');
    expect(api.completeOwnProfile).not.toHaveBeenCalled();
  });

  it('skips to where the user was going, saving nothing; a foreign redirect goes home instead', async () => {
    const { wrapper, router } = await mountWelcome();
    await wrapper.get('[data-testid="welcome-skip"]').trigger('click');
    await flushPromises();
    expect(router.currentRoute.value.fullPath).toBe('/admin/users/42');
    expect(api.completeOwnProfile).not.toHaveBeenCalled();

    const foreign = await mountWelcome('/welcome?redirect=https://evil.example/');
    await foreign.wrapper.get('[data-testid="welcome-skip"]').trigger('click');
    await flushPromises();
    expect(foreign.router.currentRoute.value.name).toBe('account');
  });

  it('offers a retry, and a way on, when the profile cannot be read', async () => {
    api.fetchOwnProfile.mockResolvedValueOnce({ ok: false, errorKey: 'errors.NETWORK_ERROR' });
    const { wrapper } = await mountWelcome();
    expect(wrapper.text()).toContain('Could not read your profile');
    await wrapper.get('.el-result button').trigger('click');
    await flushPromises();
    expect(wrapper.get<HTMLInputElement>('input[name="name"]').element.value).toBe('WeChat user 1a2b3c');
  });
});
