import { flushPromises } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AdminUser, AdminUsersQueryInput, Page } from '@wechat-login/shared';
import type { ApiResult } from '@/api/api-result';
import { ROUTE_NAMES } from '@/router/route-names';
import { NEVER_SIGNED_IN_USER, WECHAT_ONLY_USER } from '@/test-support/admin-user-fixtures';
import { mountWithApp } from '@/test-support/mount-with-app';
import { routerAt } from '@/test-support/router-at';
import UsersView from './UsersView.vue';

const api = vi.hoisted(() => ({
  fetchUserPage: vi.fn<(query: AdminUsersQueryInput) => Promise<ApiResult<Page<AdminUser>>>>(),
  userExportUrl: vi.fn((query: Record<string, string>) => `/api/v1/admin/users/export.csv?${new URLSearchParams(query).toString()}`),
}));
vi.mock('@/api/admin-users', () => api);

/** Three days after WECHAT_ONLY_USER's last sign-in. */
const NOW = new Date('2026-03-05T09:00:00Z');
const USERS: AdminUser[] = [WECHAT_ONLY_USER, NEVER_SIGNED_IN_USER];

async function openUsers(path: string) {
  const router = await routerAt(path, { path: '/admin/users', name: ROUTE_NAMES.adminUsers, component: UsersView });
  const view = mountWithApp(UsersView, { locale: 'en', plugins: [router] });
  await flushPromises();
  return { view, router };
}

function lastSignInHeader(view: Awaited<ReturnType<typeof openUsers>>['view']) {
  const header = view.findAll('.el-table__header th').find((cell) => cell.text().includes('Last sign-in'));
  if (!header) throw new Error('no "Last sign-in" column');
  return header;
}

// Each test mounts the whole page with Element Plus's table and date picker: about 1.5 s on an idle
// machine, several times that while the server suite runs beside it. A bound, not a timed assertion.
describe('the users table', { timeout: 20_000 }, () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
    api.fetchUserPage.mockResolvedValue({ ok: true, data: { items: USERS, total: 2, limit: 20, offset: 0 } });
  });
  afterEach(() => vi.useRealTimers());

  it('shows each user\'s last sign-in, or that they never signed in', async () => {
    const { view } = await openUsers('/admin/users');

    const cells = view.findAll('.el-table__body [data-testid="last-sign-in"]');
    expect(cells).toHaveLength(2);
    expect(cells[0]?.get('time').text()).toBe('3 days ago');
    expect(cells[0]?.get('[data-testid="last-sign-in-method"]').text()).toBe('WeChat QR');
    expect(cells[1]?.text()).toBe('Never signed in');
  });

  it('sorts by last sign-in on the server when the header is clicked, and shows the arrow from the URL', async () => {
    const { view, router } = await openUsers('/admin/users');

    await lastSignInHeader(view).trigger('click');
    await flushPromises();

    expect(router.currentRoute.value.query).toMatchObject({ sortBy: 'lastSignInAt' });
    expect(api.fetchUserPage).toHaveBeenLastCalledWith(expect.objectContaining({ sortBy: 'lastSignInAt', offset: 0 }));
    const first = router.currentRoute.value.query.sortDirection ?? 'desc';
    expect(lastSignInHeader(view).classes()).toContain(first === 'asc' ? 'ascending' : 'descending');

    await lastSignInHeader(view).trigger('click');
    await flushPromises();
    const second = router.currentRoute.value.query.sortDirection ?? 'desc';
    expect(router.currentRoute.value.query.sortBy).toBe('lastSignInAt');
    expect(second).not.toBe(first);
    expect(api.fetchUserPage).toHaveBeenLastCalledWith(expect.objectContaining({ sortBy: 'lastSignInAt', sortDirection: second }));
  });

  it('narrows to dormant accounts by the chosen day, kept in the URL', async () => {
    const { view, router } = await openUsers('/admin/users?page=2');

    view.findComponent({ name: 'ElDatePicker' }).vm.$emit('update:modelValue', '2026-01-15');
    await flushPromises();

    expect(router.currentRoute.value.query).toEqual({ notSignedInSince: '2026-01-15' });
    expect(api.fetchUserPage).toHaveBeenLastCalledWith(expect.objectContaining({ notSignedInSince: new Date(2026, 0, 15).toISOString(), offset: 0 }));

    view.findComponent({ name: 'ElDatePicker' }).vm.$emit('update:modelValue', null);
    await flushPromises();
    expect(router.currentRoute.value.query).toEqual({});
  });

  it('shows a day from a shared link in the picker, and says "no match" rather than "no users" for an empty filtered page', async () => {
    api.fetchUserPage.mockResolvedValue({ ok: true, data: { items: [], total: 0, limit: 20, offset: 0 } });
    const { view } = await openUsers('/admin/users?notSignedInSince=2026-01-15');

    expect(view.get<HTMLInputElement>('input[name="notSignedInSince"]').element.value).toBe('2026-01-15');
    expect(view.text()).toContain('No users match your search');
    expect(view.get('[data-testid="export-users"]').attributes('disabled')).toBeDefined();
  });

  it('exports the filters the table shows', async () => {
    const { view } = await openUsers('/admin/users?notSignedInSince=2026-01-15&sortBy=lastSignInAt&sortDirection=asc');

    await view.get('[data-testid="export-users"]').trigger('click');
    await flushPromises();

    expect(api.userExportUrl).toHaveBeenLastCalledWith({
      notSignedInSince: new Date(2026, 0, 15).toISOString(),
      sortBy: 'lastSignInAt',
      sortDirection: 'asc',
      includeWechatIds: 'false',
    });
    expect(document.querySelector('[data-testid="export-download"]')?.getAttribute('href')).toContain('export.csv?');
  });
});
