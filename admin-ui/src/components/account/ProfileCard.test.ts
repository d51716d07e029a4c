import { flushPromises } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApiResult } from '@/api/api-result';
import type { SessionUser } from '@/api/auth-client';
import { useSessionStore } from '@/stores/session';
import { mountWithApp } from '@/test-support/mount-with-app';
import ProfileCard from './ProfileCard.vue';

const account = vi.hoisted(() => ({ updateOwnName: vi.fn<(name: string) => Promise<ApiResult<unknown>>>() }));
vi.mock('@/api/account', () => account);
// The avatar button asks for the upload rules; they do not matter here.
vi.mock('@/api/profile', () => ({ fetchOwnProfile: vi.fn(async () => ({ ok: false, errorKey: 'errors.NETWORK_ERROR' })), uploadOwnAvatar: vi.fn() }));
vi.mock('@/api/auth-client', () => ({ authClient: { getSession: vi.fn(async () => ({ data: null, error: null })) } }));

const at = new Date('2026-01-01T00:00:00Z');
const ALEX = {
  id: 'u1', name: 'Alex', email: 'alex@example.com', emailVerified: true, image: null, createdAt: at, updatedAt: at,
  username: 'alex', displayUsername: 'Alex', role: 'user', banned: false, banReason: null, banExpires: null,
} as unknown as SessionUser;

async function renameTo(name: string) {
  const pinia = createPinia();
  setActivePinia(pinia);
  useSessionStore().user = ALEX;
  const card = mountWithApp(ProfileCard, { locale: 'en', plugins: [pinia] });
  await card.get('.name-view button').trigger('click');
  await card.get('input[name="name"]').setValue(name);
  await card.get('form.name-form').trigger('submit');
  await flushPromises();
  return card;
}

describe('changing one\'s own name on the account page', () => {
  beforeEach(() => {
    account.updateOwnName.mockResolvedValue({ ok: true, data: {} });
  });

  it('refuses, without sending it, a name longer than the server takes', async () => {
    const card = await renameTo('x'.repeat(41));

    expect(account.updateOwnName).not.toHaveBeenCalled();
    expect(card.get('[role="alert"]').text()).toBe('A display name has at most 40 characters');
  });

  it('refuses, without sending it, a name that would display as something else', async () => {
    const card = await renameTo('resu\u202Eadmin');

    expect(account.updateOwnName).not.toHaveBeenCalled();
    expect(card.get('[role="alert"]').text()).toBe('A display name cannot contain control characters');
  });

  it('sends a name of 40 Chinese characters, which the server counts as 40', async () => {
    await renameTo('名'.repeat(40));

    expect(account.updateOwnName).toHaveBeenCalledWith('名'.repeat(40));
  });

  it('shows the server\'s refusal under the name', async () => {
    account.updateOwnName.mockResolvedValue({ ok: false, errorKey: 'errors.INVALID_NAME' });
    const card = await renameTo('Alexandra');

    expect(account.updateOwnName).toHaveBeenCalledWith('Alexandra');
    expect(card.get('[role="alert"]').text()).toBe('A name has 1 to 40 characters and no control characters');
    expect(card.find('input[name="name"]').exists()).toBe(true);
  });
});
