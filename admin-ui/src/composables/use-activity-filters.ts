import { computed } from 'vue';
import type { Router } from 'vue-router';
import { activityFiltersFromRouteQuery, routeQueryFromActivityFilters, type ActivityFilters } from './activity-query';

/**
 * The Activity page's filters, read from the URL: changing one navigates, so
 * back/forward and reload show what the admin saw. While another page is
 * shown the last filters stay, so leaving the page does not load again.
 */
export function useActivityFilters(router: Router, routeName: string) {
  let last = activityFiltersFromRouteQuery(router.currentRoute.value.query);
  const filters = computed(() => {
    const route = router.currentRoute.value;
    if (route.name === routeName) last = activityFiltersFromRouteQuery(route.query);
    return last;
  });

  /** Any change but paging starts again from page 1. */
  async function applyFilters(change: Partial<ActivityFilters>): Promise<void> {
    await router.push({ name: routeName, query: routeQueryFromActivityFilters({ ...filters.value, page: 1, ...change }) });
  }

  async function resetFilters(): Promise<void> {
    await router.push({ name: routeName, query: {} });
  }

  return { filters, applyFilters, resetFilters };
}
