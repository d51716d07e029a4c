import { flushPromises } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { DEFAULT_USER_LIST_FILTERS, type UserListFilters } from '@/composables/user-list-query';
import { mountWithApp } from '@/test-support/mount-with-app';
import ExportUsersButton from './ExportUsersButton.vue';

const DORMANT_ADMINS: UserListFilters = {
  ...DEFAULT_USER_LIST_FILTERS,
  role: 'admin',
  notSignedInSince: '2026-05-01',
  sortBy: 'lastSignInAt',
  sortDirection: 'asc',
  page: 3,
};

async function openExport(filters: UserListFilters = DORMANT_ADMINS) {
  const button = mountWithApp(ExportUsersButton, { props: { filters, total: 42 }, locale: 'en' });
  await button.get('[data-testid="export-users"]').trigger('click');
  await flushPromises();
  return button;
}

function downloadLink(): URL {
  const link = document.querySelector<HTMLAnchorElement>('[data-testid="export-download"]');
  if (!link) throw new Error('no download link');
  expect(link.hasAttribute('download')).toBe(true);
  return new URL(link.getAttribute('href') ?? '', 'http://localhost');
}

function includeWechatIdsBox(): HTMLInputElement {
  const box = document.querySelector<HTMLInputElement>('[data-testid="export-include-wechat-ids"] input[type="checkbox"]');
  if (!box) throw new Error('no checkbox');
  return box;
}

describe('exporting the users table as CSV', () => {
  it("links to the server's export of the current filters and order, all pages, without WeChat ids", async () => {
    await openExport();

    expect(document.body.textContent).toContain('all 42 users');
    const url = downloadLink();
    expect(url.pathname).toBe('/api/v1/admin/users/export.csv');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      role: 'admin',
      notSignedInSince: new Date(2026, 4, 1).toISOString(),
      sortBy: 'lastSignInAt',
      sortDirection: 'asc',
      includeWechatIds: 'false',
    });
    expect(document.querySelector('[role="alert"]')).toBeNull();
  });

  it('adds the WeChat ids only when ticked, with a warning that they are personal data', async () => {
    await openExport();

    includeWechatIdsBox().click();
    await flushPromises();

    expect(downloadLink().searchParams.get('includeWechatIds')).toBe('true');
    expect(document.querySelector('[role="alert"]')?.textContent).toContain('WeChat ids are personal data');
  });

  it('starts unticked every time it opens, even after a previous export with the ids', async () => {
    const button = await openExport();
    includeWechatIdsBox().click();
    await flushPromises();
    document.querySelector<HTMLElement>('[data-testid="export-download"]')?.dispatchEvent(new MouseEvent('click', { cancelable: true }));
    await flushPromises();

    await button.get('[data-testid="export-users"]').trigger('click');
    await flushPromises();

    expect(includeWechatIdsBox().checked).toBe(false);
    expect(downloadLink().searchParams.get('includeWechatIds')).toBe('false');
  });

  it('cannot be opened while the table has nothing to export', () => {
    const button = mountWithApp(ExportUsersButton, { props: { filters: DEFAULT_USER_LIST_FILTERS, total: 0, disabled: true }, locale: 'en' });
    expect(button.get('[data-testid="export-users"]').attributes('disabled')).toBeDefined();
  });
});
