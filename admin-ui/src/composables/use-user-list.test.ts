import { flushPromises } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, effectScope } from 'vue';
import { createMemoryHistory, createRouter } from 'vue-router';
import type { AdminUser, AdminUsersQueryInput, Page } from '@wechat-login/shared';
import type { ApiResult } from '@/api/api-result';
import { useUserList } from './use-user-list';

const fetchUserPage = vi.hoisted(() => vi.fn<(query: AdminUsersQueryInput) => Promise<ApiResult<Page<AdminUser>>>>());
vi.mock('@/api/admin-users', () => ({ fetchUserPage }));

const USERS_ROUTE = 'admin-users';
const Stub = defineComponent({ template: '<div />' });

function userNamed(name: string): AdminUser {
  const at = new Date('2025-01-01T00:00:00Z');
  return {
    id: name, name, email: `${name}@example.com`, emailIsPlaceholder: false, emailVerified: true, username: null,
    displayUsername: null, image: null, role: 'user', banned: false, banReason: null, banExpires: null,
    signInMethods: ['email'], profileCompletedAt: null, lastSignIn: null, createdAt: at, updatedAt: at,
  };
}

function pageOf(...names: string[]): ApiResult<Page<AdminUser>> {
  return { ok: true, data: { items: names.map(userNamed), total: 45, limit: 20, offset: 0 } };
}

let scope = effectScope();
afterEach(() => scope.stop());

async function startUserListAt(path: string) {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/admin/users', name: USERS_ROUTE, component: Stub },
      { path: '/admin/users/:id', name: 'admin-user-detail', component: Stub },
    ],
  });
  await router.push(path);
  scope = effectScope();
  const list = scope.run(() => useUserList(router, USERS_ROUTE));
  if (!list) throw new Error('effect scope is not active');
  return { list, router };
}

describe('useUserList', () => {
  it('loads the page the URL describes', async () => {
    fetchUserPage.mockResolvedValue(pageOf('ada'));
    const { list } = await startUserListAt('/admin/users?page=3&role=admin&sortBy=email&sortDirection=asc');

    await list.load();

    expect(fetchUserPage).toHaveBeenLastCalledWith({ role: 'admin', sortBy: 'email', sortDirection: 'asc', limit: 20, offset: 40 });
    expect(list.total.value).toBe(45);
    expect(list.users.value.map((user) => user.name)).toEqual(['ada']);
    expect(list.isFiltered.value).toBe(true);
  });

  it('puts a search and a filter in the URL from page 1, and loads from there', async () => {
    fetchUserPage.mockResolvedValue(pageOf('bob'));
    const { list, router } = await startUserListAt('/admin/users?page=2');

    list.searchText.value = '  bob ';
    await list.search();
    await flushPromises();
    expect(router.currentRoute.value.fullPath).toBe('/admin/users?search=bob');
    expect(fetchUserPage).toHaveBeenLastCalledWith({ search: 'bob', sortBy: 'createdAt', sortDirection: 'desc', limit: 20, offset: 0 });

    await list.applyFilters({ hasWechat: 'true' });
    await flushPromises();
    expect(router.currentRoute.value.query).toEqual({ search: 'bob', hasWechat: 'true' });
    expect(fetchUserPage).toHaveBeenLastCalledWith(expect.objectContaining({ search: 'bob', hasWechat: 'true', offset: 0 }));
  });

  it('puts the dormant-account filter in the URL as a day, and asks the server from that day\'s local midnight', async () => {
    fetchUserPage.mockResolvedValue(pageOf('eve'));
    const { list, router } = await startUserListAt('/admin/users?page=2');

    await list.applyFilters({ notSignedInSince: '2026-05-01', sortBy: 'lastSignInAt', sortDirection: 'asc' });
    await flushPromises();

    expect(router.currentRoute.value.query).toEqual({ notSignedInSince: '2026-05-01', sortBy: 'lastSignInAt', sortDirection: 'asc' });
    expect(fetchUserPage).toHaveBeenLastCalledWith({
      notSignedInSince: new Date(2026, 4, 1).toISOString(),
      sortBy: 'lastSignInAt',
      sortDirection: 'asc',
      limit: 20,
      offset: 0,
    });
    expect(list.isFiltered.value).toBe(true);
  });

  it('follows back and forward: the previous filter loads again', async () => {
    fetchUserPage.mockResolvedValue(pageOf('eve'));
    const { list, router } = await startUserListAt('/admin/users');

    await list.applyFilters({ notSignedInSince: '2026-05-01' });
    await flushPromises();
    await list.applyFilters({ notSignedInSince: '2026-06-01' });
    await flushPromises();
    router.back();
    await flushPromises();

    expect(list.filters.value.notSignedInSince).toBe('2026-05-01');
    expect(fetchUserPage).toHaveBeenLastCalledWith(expect.objectContaining({ notSignedInSince: new Date(2026, 4, 1).toISOString() }));
  });

  it('keeps the filters when paging, and resets everything on request', async () => {
    fetchUserPage.mockResolvedValue(pageOf('eve'));
    const { list, router } = await startUserListAt('/admin/users?banned=true');

    await list.applyFilters({ page: 2 });
    expect(router.currentRoute.value.query).toEqual({ banned: 'true', page: '2' });

    await list.resetFilters();
    await flushPromises();
    expect(router.currentRoute.value.fullPath).toBe('/admin/users');
    expect(fetchUserPage).toHaveBeenLastCalledWith({ sortBy: 'createdAt', sortDirection: 'desc', limit: 20, offset: 0 });
  });

  it('does not load when the route leaves the users page', async () => {
    fetchUserPage.mockResolvedValue(pageOf('ada'));
    const { router } = await startUserListAt('/admin/users?search=ada');

    await router.push('/admin/users/ada');
    await flushPromises();

    expect(fetchUserPage).not.toHaveBeenCalled();
  });

  it('keeps the newest page when an older answer arrives late', async () => {
    let answerFirstRequest: (result: ApiResult<Page<AdminUser>>) => void = () => {};
    fetchUserPage
      .mockReturnValueOnce(new Promise((resolve) => (answerFirstRequest = resolve)))
      .mockResolvedValueOnce(pageOf('second'));
    const { list } = await startUserListAt('/admin/users');

    const firstLoad = list.load();
    await list.load();
    answerFirstRequest(pageOf('first'));
    await firstLoad;

    expect(list.users.value.map((user) => user.name)).toEqual(['second']);
    expect(list.loading.value).toBe(false);
  });

  it('reports a failure with its message key and shows no stale rows', async () => {
    fetchUserPage.mockResolvedValueOnce(pageOf('ada')).mockResolvedValueOnce({ ok: false, errorKey: 'errors.FORBIDDEN' });
    const { list } = await startUserListAt('/admin/users');

    await list.load();
    await list.load();

    expect(list.errorKey.value).toBe('errors.FORBIDDEN');
    expect(list.users.value).toEqual([]);
    expect(list.total.value).toBe(0);
  });
});
