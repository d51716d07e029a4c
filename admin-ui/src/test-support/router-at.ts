import { defineComponent, h } from 'vue';
import { createMemoryHistory, createRouter, type Router, type RouteRecordRaw } from 'vue-router';
import { ROUTE_NAMES } from '@/router/route-names';

const StubPage = defineComponent({ render: () => h('div') });

/** The pages a view under test may send the user on to: empty, so each test is about its own view. */
const STUB_DESTINATIONS: RouteRecordRaw[] = [
  { path: '/account', name: ROUTE_NAMES.account, component: StubPage },
  { path: '/welcome', name: ROUTE_NAMES.welcome, component: StubPage },
  { path: '/admin/users', name: ROUTE_NAMES.adminUsers, component: StubPage },
  { path: '/admin/users/:id', name: ROUTE_NAMES.adminUserDetail, component: StubPage },
];

/**
 * A router standing at `path` (the app's guard left out: the test is about the view), with the view's own
 * route and stub pages for the routes it links or navigates to.
 */
export async function routerAt(path: string, ownRoute?: RouteRecordRaw): Promise<Router> {
  const stubs = STUB_DESTINATIONS.filter((stub) => stub.name !== ownRoute?.name);
  const router = createRouter({ history: createMemoryHistory(), routes: ownRoute ? [ownRoute, ...stubs] : stubs });
  await router.push(path);
  return router;
}
