import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { OwnProfile } from '@wechat-login/shared';
import type { ApiResult } from '@/api/api-result';
import { useSessionStore } from '@/stores/session';
import { useWelcomeOffer } from './use-welcome-offer';

const api = vi.hoisted(() => ({ fetchOwnProfile: vi.fn<() => Promise<ApiResult<OwnProfile>>>() }));
vi.mock('@/api/profile', () => api);
vi.mock('@/api/auth-client', () => ({ authClient: { getSession: vi.fn() } }));

const RULES = { maxBytes: 1024, contentTypes: ['image/png' as const] };
const profileCompletedAt = (at: Date | null): ApiResult<OwnProfile> => ({ ok: true, data: { name: 'n', image: null, profileCompletedAt: at, avatarRules: RULES } });

function signedInAs(email: string, createdAt = new Date()): void {
  const session = useSessionStore();
  session.user = { id: 'u1', email, name: 'n', createdAt, updatedAt: createdAt, emailVerified: false } as typeof session.user;
}

describe('the welcome offer after a sign-in', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    // The site facts, which say the placeholder email domain.
    vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify({ success: true, data: { siteName: 'Test', wechat: { enabled: true, simulatorUrl: null }, placeholderEmailDomain: 'wechat.placeholder' } }))));
  });

  it('sends a new WeChat user with an incomplete profile to /welcome, keeping where they were going', async () => {
    signedInAs('o-abc@wechat.placeholder');
    api.fetchOwnProfile.mockResolvedValue(profileCompletedAt(null));
    expect(await useWelcomeOffer().welcomeRoute('/admin/users')).toEqual({ name: 'welcome', query: { redirect: '/admin/users' } });
  });

  it('lets everyone else straight through', async () => {
    signedInAs('o-abc@wechat.placeholder');
    api.fetchOwnProfile.mockResolvedValue(profileCompletedAt(new Date()));
    expect(await useWelcomeOffer().welcomeRoute(undefined)).toBeNull();

    api.fetchOwnProfile.mockResolvedValue(profileCompletedAt(null));
    expect(await useWelcomeOffer().welcomeRoute(undefined, false)).toBeNull();

    signedInAs('ada@example.com');
    expect(await useWelcomeOffer().welcomeRoute(undefined)).toBeNull();
    // Asked only when it could matter: not after isNewUser=false, nor for a password user.
    expect(api.fetchOwnProfile).toHaveBeenCalledTimes(1);
  });
});
