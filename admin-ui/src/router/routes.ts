import type { RouteRecordRaw } from 'vue-router';
import { ROUTE_NAMES } from './route-names';

declare module 'vue-router' {
  interface RouteMeta {
    /** Open to signed-out visitors. */
    public?: boolean;
    /** Only for users with the `admin` role. */
    requiresAdmin?: boolean;
  }
}

export const routes: RouteRecordRaw[] = [
  {
    path: '/sign-in',
    name: ROUTE_NAMES.signIn,
    component: () => import('@/views/SignInView.vue'),
    meta: { public: true },
  },
  {
    // Right after a first WeChat sign-in: choose a display name and an avatar, or skip. Signed-in only.
    path: '/welcome',
    name: ROUTE_NAMES.welcome,
    component: () => import('@/views/WelcomeView.vue'),
  },
  {
    // An app asks the signed-in person to allow it (the OIDC provider sends them here with its signed
    // request). Signed-in only; outside the dashboard frame, for phones inside WeChat too.
    path: '/oauth/consent',
    name: ROUTE_NAMES.oauthConsent,
    component: () => import('@/views/OAuthConsentView.vue'),
  },
  {
    // "/" itself never renders: the guard sends it on to the visitor's home page. The dashboard's frame
    // loads with its first page, so the sign-in page does not download it.
    path: '/',
    name: ROUTE_NAMES.home,
    component: () => import('@/components/AppLayout.vue'),
    children: [
      { path: 'account', name: ROUTE_NAMES.account, component: () => import('@/views/AccountView.vue') },
      {
        path: 'admin/users',
        name: ROUTE_NAMES.adminUsers,
        component: () => import('@/views/admin/UsersView.vue'),
        meta: { requiresAdmin: true },
      },
      {
        path: 'admin/users/:id',
        name: ROUTE_NAMES.adminUserDetail,
        component: () => import('@/views/admin/UserDetailView.vue'),
        props: true,
        meta: { requiresAdmin: true },
      },
      {
        path: 'admin/activity',
        name: ROUTE_NAMES.adminActivity,
        component: () => import('@/views/admin/ActivityView.vue'),
        meta: { requiresAdmin: true },
      },
      {
        path: 'admin/applications',
        name: ROUTE_NAMES.adminApplications,
        component: () => import('@/views/admin/ApplicationsView.vue'),
        meta: { requiresAdmin: true },
      },
      {
        path: 'admin/applications/:clientId',
        name: ROUTE_NAMES.adminApplicationDetail,
        component: () => import('@/views/admin/ApplicationDetailView.vue'),
        props: true,
        meta: { requiresAdmin: true },
      },
      { path: '403', name: ROUTE_NAMES.forbidden, component: () => import('@/views/ForbiddenView.vue') },
    ],
  },
  {
    path: '/:pathMatch(.*)*',
    name: ROUTE_NAMES.notFound,
    component: () => import('@/views/NotFoundView.vue'),
    meta: { public: true },
  },
];
