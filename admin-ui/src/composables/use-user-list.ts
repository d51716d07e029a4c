import { computed, ref, shallowRef, watch } from 'vue';
import type { Router } from 'vue-router';
import type { AdminUser } from '@wechat-login/shared';
import { fetchUserPage } from '@/api/admin-users';
import type { ErrorMessageKey } from '@/i18n';
import { apiQueryFromFilters, filtersFromRouteQuery, isFilteredList, routeQueryFromFilters, type UserListFilters } from './user-list-query';

/**
 * One page of users from the server. The URL query is the single source of the filters: changing a filter
 * navigates, and the route change loads, so back/forward and reload show what the admin saw.
 */
export function useUserList(router: Router, routeName: string) {
  const filters = computed(() => filtersFromRouteQuery(router.currentRoute.value.query));
  /** What the search box holds; it is applied by `search()`, not on every keystroke. */
  const searchText = ref(filters.value.search);

  const users = shallowRef<AdminUser[]>([]);
  const total = ref(0);
  const loading = ref(false);
  const errorKey = ref<ErrorMessageKey | null>(null);
  let latestRequestId = 0;

  const isFiltered = computed(() => isFilteredList(filters.value));

  async function load(): Promise<void> {
    const requestId = ++latestRequestId;
    loading.value = true;
    errorKey.value = null;
    const result = await fetchUserPage(apiQueryFromFilters(filters.value));
    // A slow answer for an old query must not overwrite the page the admin is looking at now.
    if (requestId !== latestRequestId) return;
    loading.value = false;
    users.value = result.ok ? result.data.items : [];
    total.value = result.ok ? result.data.total : 0;
    errorKey.value = result.ok ? null : result.errorKey;
  }

  /** Any change but paging starts again from page 1. */
  async function applyFilters(change: Partial<UserListFilters>): Promise<void> {
    const next = { ...filters.value, page: 1, ...change };
    await router.push({ name: routeName, query: routeQueryFromFilters(next) });
  }

  function search(): Promise<void> {
    return applyFilters({ search: searchText.value.trim() });
  }

  async function resetFilters(): Promise<void> {
    searchText.value = '';
    await router.push({ name: routeName, query: {} });
  }

  // The route is shared with the rest of the app: react only while it is this page's.
  const apiQueryKey = computed(() => JSON.stringify(apiQueryFromFilters(filters.value)));
  watch(apiQueryKey, () => {
    if (router.currentRoute.value.name === routeName) void load();
  });
  watch(() => filters.value.search, (applied) => (searchText.value = applied));

  return { filters, searchText, users, total, loading, errorKey, isFiltered, load, applyFilters, search, resetFilters };
}
