import { ref, watch } from 'vue';
import { type AdminUser, fetchUserList, type UserSearchField } from '@/api/admin-users';
import type { ErrorMessageKey } from '@/i18n';

export const USER_PAGE_SIZES = [10, 20, 50, 100] as const;
const DEFAULT_PAGE_SIZE = 20;

/** One page of users from the server, with the search that produced it. Paging and search happen server-side. */
export function useUserList() {
  const page = ref(1);
  const pageSize = ref<number>(DEFAULT_PAGE_SIZE);
  const searchField = ref<UserSearchField>('email');
  /** What the search box holds; it is applied by `search()`, not on every keystroke. */
  const searchText = ref('');
  /** The search the shown page was loaded with: empty-state wording depends on it. */
  const appliedSearch = ref('');

  const users = ref<AdminUser[]>([]);
  const total = ref(0);
  const loading = ref(false);
  const errorKey = ref<ErrorMessageKey | null>(null);
  let latestRequestId = 0;

  async function load(): Promise<void> {
    const requestId = ++latestRequestId;
    loading.value = true;
    errorKey.value = null;
    const result = await fetchUserList({
      limit: pageSize.value,
      offset: (page.value - 1) * pageSize.value,
      searchField: searchField.value,
      searchValue: appliedSearch.value,
    });
    // A slow answer for an old page must not overwrite the page the admin is looking at now.
    if (requestId !== latestRequestId) return;
    loading.value = false;
    if (result.ok) {
      users.value = result.data.users;
      total.value = result.data.total;
    } else {
      users.value = [];
      total.value = 0;
      errorKey.value = result.errorKey;
    }
  }

  function search(): void {
    appliedSearch.value = searchText.value.trim();
    if (page.value === 1) void load();
    else page.value = 1; // the watcher below loads
  }

  function changePageSize(size: number): void {
    pageSize.value = size;
    page.value = 1;
  }

  watch([page, pageSize], () => void load());

  return { page, pageSize, searchField, searchText, appliedSearch, users, total, loading, errorKey, load, search, changePageSize };
}
