import { isMobileBrowser, isWechatBrowser } from '@wechat-login/shared';

/**
 * Where the page is shown, as far as WeChat sign-in cares:
 * - `wechat`: WeChat's own browser. Web authorization works there, and the phone cannot scan its own screen.
 * - `mobile`: another phone browser. The QR code must be saved and scanned from the album, or the page opened in WeChat.
 * - `desktop`: a computer. The phone scans the screen.
 */
export type BrowserKind = 'wechat' | 'mobile' | 'desktop';

export function browserKindOf(userAgent: string | null | undefined): BrowserKind {
  if (isWechatBrowser(userAgent)) return 'wechat';
  return isMobileBrowser(userAgent) ? 'mobile' : 'desktop';
}

/** The current page's kind, read from `navigator.userAgent` once per caller (tests stub the getter). */
export function readBrowserKind(): BrowserKind {
  return browserKindOf(typeof navigator === 'undefined' ? '' : navigator.userAgent);
}
