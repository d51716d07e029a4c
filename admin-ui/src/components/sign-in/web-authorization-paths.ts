import type { WechatOAuthRedirects } from '@wechat-login/server/wechat-client';
import { safeRedirectPath } from '@/router/safe-redirect';

/** The dashboard's pages a one-tap sign-in comes back to (their paths, base included). */
export interface SignInPagePaths {
  signIn: string;
  welcome: string;
}

/**
 * Where the sign-in page's one tap inside WeChat comes back to, carrying on the page's own `redirect`:
 * signed in → the sign-in page, which sends a signed-in visitor on to `redirect` itself (router/access.ts);
 * a new account → the welcome page, then on; a failure → the sign-in page with `error=CODE`. The
 * `redirect` query is anyone's to set, so only a same-origin path is carried on (encoded).
 */
export function signInWebAuthorizationPaths(redirectQuery: unknown, pages: SignInPagePaths): Required<WechatOAuthRedirects> {
  const redirect = safeRedirectPath(redirectQuery);
  const query = redirect ? `?${new URLSearchParams({ redirect }).toString()}` : '';
  return {
    callbackURL: `${pages.signIn}${query}`,
    newUserCallbackURL: `${pages.welcome}${query}`,
    errorCallbackURL: `${pages.signIn}${query}`,
  };
}
