import { flushPromises } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { effectScope } from 'vue';
import type { AdminUser, UserListPage } from '@/api/admin-users';
import type { ApiResult } from '@/api/api-result';
import { useUserList } from './use-user-list';

const fetchUserList = vi.hoisted(() => vi.fn<(query: unknown) => Promise<ApiResult<UserListPage>>>());
vi.mock('@/api/admin-users', () => ({ fetchUserList }));

function userNamed(name: string): AdminUser {
  const at = new Date('2025-01-01T00:00:00Z');
  return { id: name, name, email: `${name}@example.com`, emailVerified: true, banned: false, createdAt: at, updatedAt: at };
}

function pageOf(...names: string[]): ApiResult<UserListPage> {
  return { ok: true, data: { users: names.map(userNamed), total: 45 } };
}

let scope = effectScope();
afterEach(() => scope.stop());

function startUserList() {
  scope = effectScope();
  const list = scope.run(() => useUserList());
  if (!list) throw new Error('effect scope is not active');
  return list;
}

describe('useUserList', () => {
  it('asks the server for the page shown, by limit and offset', async () => {
    fetchUserList.mockResolvedValue(pageOf('ada'));
    const list = startUserList();

    await list.load();
    list.page.value = 3;
    await flushPromises();

    expect(fetchUserList).toHaveBeenLastCalledWith({ limit: 20, offset: 40, searchField: 'email', searchValue: '' });
    expect(list.total.value).toBe(45);
    expect(list.users.value.map((user) => user.name)).toEqual(['ada']);
  });

  it('applies a search from the first page, and only when asked', async () => {
    fetchUserList.mockResolvedValue(pageOf('bob'));
    const list = startUserList();
    list.page.value = 2;
    await flushPromises();

    list.searchField.value = 'name';
    list.searchText.value = '  bob ';
    expect(list.appliedSearch.value).toBe('');
    list.search();
    await flushPromises();

    expect(list.page.value).toBe(1);
    expect(fetchUserList).toHaveBeenLastCalledWith({ limit: 20, offset: 0, searchField: 'name', searchValue: 'bob' });
  });

  it('keeps the newest page when an older answer arrives late', async () => {
    let answerFirstRequest: (result: ApiResult<UserListPage>) => void = () => {};
    fetchUserList
      .mockReturnValueOnce(new Promise((resolve) => (answerFirstRequest = resolve)))
      .mockResolvedValueOnce(pageOf('second'));
    const list = startUserList();

    const firstLoad = list.load();
    await list.load();
    answerFirstRequest(pageOf('first'));
    await firstLoad;

    expect(list.users.value.map((user) => user.name)).toEqual(['second']);
    expect(list.loading.value).toBe(false);
  });

  it('reports a failure with its message key and shows no stale rows', async () => {
    fetchUserList.mockResolvedValueOnce(pageOf('ada')).mockResolvedValueOnce({
      ok: false,
      errorKey: 'errors.YOU_ARE_NOT_ALLOWED_TO_LIST_USERS',
    });
    const list = startUserList();

    await list.load();
    await list.load();

    expect(list.errorKey.value).toBe('errors.YOU_ARE_NOT_ALLOWED_TO_LIST_USERS');
    expect(list.users.value).toEqual([]);
    expect(list.total.value).toBe(0);
  });
});
