// @ts-check
/**
 * The pages whose first load is measured, each as the lazily loaded components its route renders (manifest
 * keys, outermost first; see src/router/routes.ts), and the sign-in page's budget.
 */

/** @typedef {{ path: string, routeSources: string[] }} MeasuredPage */

/**
 * Brotli bytes of JS and CSS the sign-in page may download before it shows anything. The page has to be
 * usable within 150 kB on a phone over a slow network; the rest is for the HTML and the API's answers.
 * Installing Element Plus whole (`app.use(ElementPlus)`) is about 300 kB by itself.
 */
export const SIGN_IN_BROTLI_BUDGET_BYTES = 120_000;

/** The page people open on a phone: the one with a budget. */
/** @type {MeasuredPage} */
export const SIGN_IN_PAGE = { path: '/sign-in', routeSources: ['src/views/SignInView.vue'] };

const DASHBOARD_LAYOUT = 'src/components/AppLayout.vue';

/** Listed so that a change in their weight shows; they may be heavier, and load per page. */
/** @type {MeasuredPage[]} */
export const OTHER_PAGES = [
  { path: '/welcome', routeSources: ['src/views/WelcomeView.vue'] },
  { path: '/account', routeSources: [DASHBOARD_LAYOUT, 'src/views/AccountView.vue'] },
  { path: '/admin/users', routeSources: [DASHBOARD_LAYOUT, 'src/views/admin/UsersView.vue'] },
  { path: '/admin/users/:id', routeSources: [DASHBOARD_LAYOUT, 'src/views/admin/UserDetailView.vue'] },
  { path: '/admin/activity', routeSources: [DASHBOARD_LAYOUT, 'src/views/admin/ActivityView.vue'] },
];
