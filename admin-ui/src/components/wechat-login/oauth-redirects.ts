import type { SignInWechatOAuthInput } from '@wechat-login/server/wechat-client';

/** Where the page wants web authorization to come back to; unset parts default to the page itself. */
export interface WidgetOAuthRedirects {
  callbackUrl?: string | undefined;
  newUserCallbackUrl?: string | undefined;
  errorCallbackUrl?: string | undefined;
}

/**
 * The page's own path and query, for coming back to it: without the `error` an earlier attempt brought
 * back (the server appends a fresh one), and with one leading slash (the server accepts only a path, and
 * `//host` would be another site).
 */
export function ownPagePath(location: Pick<Location, 'pathname' | 'search'>): string {
  const query = new URLSearchParams(location.search);
  query.delete('error');
  const search = query.toString();
  return `${location.pathname.replace(/^\/+/, '/')}${search ? `?${search}` : ''}`;
}

/**
 * The redirects of one web-authorization sign-in: what the page set, else back to this page (success and
 * failure alike); a new user goes where the page says, else where a returning one goes (the server's default).
 */
export function oauthRedirectsFor(redirects: WidgetOAuthRedirects, location: Pick<Location, 'pathname' | 'search'>): SignInWechatOAuthInput {
  const ownPath = ownPagePath(location);
  return {
    callbackURL: redirects.callbackUrl || ownPath,
    errorCallbackURL: redirects.errorCallbackUrl || ownPath,
    ...(redirects.newUserCallbackUrl ? { newUserCallbackURL: redirects.newUserCallbackUrl } : {}),
  };
}
