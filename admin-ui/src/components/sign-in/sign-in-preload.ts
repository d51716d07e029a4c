import type { Pinia } from 'pinia';
import { loadRouteLocation, type Router } from 'vue-router';
import { type BrowserKind, readBrowserKind } from '@/components/wechat-login/browser-kind';
import { ROUTE_NAMES } from '@/router/route-names';
import { useSiteStore } from '@/stores/site';

export interface SignInPreloadOptions {
  router: Router;
  pinia: Pinia;
  prefetchLoginQrcode: () => void;
  browser?: BrowserKind;
}

/**
 * On a page load at the sign-in page, starts at once, side by side with the session check that the router's
 * guard waits for: the page's code, the site facts and, outside WeChat (where a QR code is always shown), the
 * QR code. Otherwise each waits for the one before (session, page, site facts, QR code): four round trips on
 * a phone's network before anything can be scanned. Inside WeChat the page may show one tap instead, which
 * the site facts decide, so no QR code is asked for there. Returns whether `path` was the sign-in page.
 */
export function preloadSignInPage(path: string, { router, pinia, prefetchLoginQrcode, browser = readBrowserKind() }: SignInPreloadOptions): boolean {
  const target = router.resolve(path);
  if (target.name !== ROUTE_NAMES.signIn) return false;
  // A failed download is the router's to report when it loads the page itself.
  loadRouteLocation(target).catch(() => undefined);
  void useSiteStore(pinia).ensureLoaded();
  if (browser !== 'wechat') prefetchLoginQrcode();
  return true;
}
