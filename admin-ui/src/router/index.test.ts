import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryHistory } from 'vue-router';
import { createAppRouter } from './index';

const visitor = vi.hoisted(() => ({
  isSignedIn: false,
  isAdmin: false,
  ensureLoaded: vi.fn(async () => {}),
}));

vi.mock('@/stores/session', () => ({ useSessionStore: () => visitor }));

function signedInAs(role: 'admin' | 'user' | 'signed-out'): void {
  visitor.isSignedIn = role !== 'signed-out';
  visitor.isAdmin = role === 'admin';
}

async function navigateTo(path: string) {
  const router = createAppRouter(createMemoryHistory());
  await router.push(path);
  return router.currentRoute.value;
}

describe('the navigation guard', () => {
  beforeEach(() => signedInAs('signed-out'));

  it('reads the session before deciding', async () => {
    await navigateTo('/account');
    expect(visitor.ensureLoaded).toHaveBeenCalled();
  });

  it('sends a signed-out visitor to sign-in with the page they asked for', async () => {
    const route = await navigateTo('/admin/users?search=bob');
    expect(route.name).toBe('sign-in');
    expect(route.query.redirect).toBe('/admin/users?search=bob');
  });

  it('lets a signed-out visitor see the sign-in page and unknown pages', async () => {
    expect((await navigateTo('/sign-in')).name).toBe('sign-in');
    expect((await navigateTo('/no/such/page')).name).toBe('not-found');
  });

  it('lets a signed-in visitor stay on sign-in when it carries an app\'s signed request (the page sends them on), not otherwise', async () => {
    signedInAs('user');
    expect((await navigateTo('/sign-in?client_id=shop&scope=openid&ba_param=client_id&sig=abc')).name).toBe('sign-in');
    expect((await navigateTo('/sign-in?client_id=shop&scope=openid')).name).toBe('account');
    expect((await navigateTo('/sign-in?sig=abc')).name).toBe('account');
  });

  it('shows the 403 page to a signed-in non-admin on an admin page', async () => {
    signedInAs('user');
    expect((await navigateTo('/admin/users')).name).toBe('forbidden');
    expect((await navigateTo('/admin/users/64b7f0c2a1e4d5f6a7b8c9d0')).name).toBe('forbidden');
  });

  it('lets an admin open admin pages', async () => {
    signedInAs('admin');
    expect((await navigateTo('/admin/users')).name).toBe('admin-users');
    const detail = await navigateTo('/admin/users/64b7f0c2a1e4d5f6a7b8c9d0');
    expect(detail.name).toBe('admin-user-detail');
    expect(detail.params.id).toBe('64b7f0c2a1e4d5f6a7b8c9d0');
  });

  it('sends "/" to the visitor\'s home: admins to the user list, others to their account', async () => {
    signedInAs('admin');
    expect((await navigateTo('/')).name).toBe('admin-users');
    signedInAs('user');
    expect((await navigateTo('/')).name).toBe('account');
  });

  it('sends a signed-out visitor from "/" to sign-in without a redirect', async () => {
    const route = await navigateTo('/');
    expect(route.name).toBe('sign-in');
    expect(route.query.redirect).toBeUndefined();
  });

  it('moves a signed-in visitor off the sign-in page, honouring only a same-origin redirect', async () => {
    signedInAs('user');
    expect((await navigateTo('/sign-in?redirect=%2Faccount')).fullPath).toBe('/account');
    expect((await navigateTo('/sign-in?redirect=%2F%2Fevil.example')).name).toBe('account');
  });
});
