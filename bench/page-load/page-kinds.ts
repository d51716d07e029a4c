import type { BrowserContextOptions } from 'playwright-core';
import type { UsableSign } from './usable-probe.js';

/** Chrome on a Windows desktop. */
const DESKTOP_CHROME_UA =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36';
/** Safari on an iPhone: a phone browser outside WeChat (as e2e/support/wechat.ts MOBILE_SAFARI_UA). */
const MOBILE_SAFARI_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1';
/** WeChat's in-app browser on an Android phone (as e2e/support/wechat.ts WECHAT_IN_APP_UA). */
export const WECHAT_IN_APP_UA =
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/130.0.6723.103 Mobile Safari/537.36 MicroMessenger/8.0.55.2780(0x28003737) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN';

/** Where the sign-in page is opened, and what the person there needs to see before they can act. */
export interface PageKind {
  id: 'desktop' | 'phone-browser' | 'phone-wechat';
  label: string;
  context: BrowserContextOptions;
  usableSign: UsableSign;
}

const PHONE_SCREEN = { viewport: { width: 390, height: 780 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true } as const;

export const PHONE_WECHAT_CONTEXT: BrowserContextOptions = { ...PHONE_SCREEN, userAgent: WECHAT_IN_APP_UA, locale: 'zh-CN' };

export const SIGN_IN_PAGE_KINDS: readonly PageKind[] = [
  // A computer: the QR code to scan with the phone.
  { id: 'desktop', label: 'desktop', context: { viewport: { width: 1280, height: 860 }, userAgent: DESKTOP_CHROME_UA, locale: 'zh-CN' }, usableSign: 'qr-code' },
  // Another phone browser: the QR code as a picture to save and scan from the album.
  { id: 'phone-browser', label: 'phone browser', context: { ...PHONE_SCREEN, userAgent: MOBILE_SAFARI_UA, locale: 'zh-CN' }, usableSign: 'qr-code' },
  // Inside WeChat: the one-tap button (web authorization), no QR code.
  { id: 'phone-wechat', label: 'phone inside WeChat', context: PHONE_WECHAT_CONTEXT, usableSign: 'one-tap' },
];
