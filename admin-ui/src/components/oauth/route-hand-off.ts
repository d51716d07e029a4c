import { useRoute, useRouter, type LocationQueryRaw } from 'vue-router';
import type { RouteName } from '@/router/route-names';
import { AuthorizationHandOff } from './authorization-hand-off';

/** Repeated names (`ba_param`) become arrays, as vue-router keeps them. */
function queryOf(search: string): LocationQueryRaw {
  const query: Record<string, string | string[]> = {};
  for (const [key, value] of new URLSearchParams(search)) {
    const existing = query[key];
    query[key] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return query;
}

/**
 * The authorization request in the address of the page named `page` (/sign-in, /oauth/consent), or null
 * when the address carries none. A request the provider renews is put back in the same page's address,
 * so a reload keeps the new signature. Call it from a component's setup: it reads the current route.
 */
export function useRouteHandOff(page: RouteName): AuthorizationHandOff | null {
  const route = useRoute();
  const router = useRouter();
  const search = new URL(route.fullPath, 'http://page.invalid').search;
  return AuthorizationHandOff.fromSearch(search, {
    pagePath: router.resolve({ name: page }).href,
    onRenewed: (renewed) => void router.replace({ name: page, query: queryOf(renewed) }),
  });
}
