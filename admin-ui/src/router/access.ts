import type { LocationQuery, RouteLocationNormalized, RouteLocationRaw } from 'vue-router';
import { ROUTE_NAMES } from './route-names';
import { safeRedirectPath } from './safe-redirect';

/** What the guard needs to know about the visitor. */
export interface VisitorAccess {
  isSignedIn: boolean;
  isAdmin: boolean;
}

/** Where "/" and a finished sign-in lead when nothing else was asked for. */
export function homeRouteFor(isAdmin: boolean): RouteLocationRaw {
  return { name: isAdmin ? ROUTE_NAMES.adminUsers : ROUTE_NAMES.account };
}

/** After signing in: the page the visitor was sent away from, if it is on this origin; else their home. */
export function postSignInTarget(redirectQuery: unknown, isAdmin: boolean): RouteLocationRaw {
  return safeRedirectPath(redirectQuery) ?? homeRouteFor(isAdmin);
}

/** The OIDC provider's signed query (`/sign-in?…&sig=…`): the page continues an app's authorization. */
export function carriesAuthorizationRequest(query: LocationQuery): boolean {
  return typeof query.sig === 'string' && query.sig !== '' && query.client_id !== undefined;
}

/**
 * The navigation decision, kept free of stores and routers so it reads as a table.
 * `true` lets the navigation through; a location redirects. The server enforces the same rules on its API;
 * this only saves the visitor a page that would fail.
 */
export function decideNavigation(to: RouteLocationNormalized, visitor: VisitorAccess): true | RouteLocationRaw {
  if (to.name === ROUTE_NAMES.signIn) {
    // With an app's authorization request, the page itself sends a signed-in visitor on (to the provider).
    return visitor.isSignedIn && !carriesAuthorizationRequest(to.query) ? postSignInTarget(to.query.redirect, visitor.isAdmin) : true;
  }
  if (to.meta.public) return true;
  if (!visitor.isSignedIn) {
    const redirect = to.name === ROUTE_NAMES.home ? undefined : to.fullPath;
    return { name: ROUTE_NAMES.signIn, query: redirect ? { redirect } : {} };
  }
  if (to.name === ROUTE_NAMES.home) return homeRouteFor(visitor.isAdmin);
  if (to.meta.requiresAdmin && !visitor.isAdmin) return { name: ROUTE_NAMES.forbidden };
  return true;
}
