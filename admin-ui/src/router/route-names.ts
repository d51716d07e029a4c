export const ROUTE_NAMES = {
  home: 'home',
  signIn: 'sign-in',
  account: 'account',
  welcome: 'welcome',
  oauthConsent: 'oauth-consent',
  adminUsers: 'admin-users',
  adminUserDetail: 'admin-user-detail',
  adminActivity: 'admin-activity',
  adminApplications: 'admin-applications',
  adminApplicationDetail: 'admin-application-detail',
  forbidden: 'forbidden',
  notFound: 'not-found',
} as const;

export type RouteName = (typeof ROUTE_NAMES)[keyof typeof ROUTE_NAMES];
