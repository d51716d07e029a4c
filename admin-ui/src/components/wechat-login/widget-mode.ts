import { computed, type ComputedRef, ref, watch } from 'vue';
import type { BrowserKind } from './browser-kind';
import type { WechatLoginClient, WechatQrPurpose } from './wechat-login-client';

/**
 * What the widget shows:
 * - `one-tap`: inside WeChat, signing in, web authorization on: one button, no QR code.
 * - `scan`: on a computer: the QR code to scan with the phone.
 * - `save`: on a phone (including WeChat without web authorization, or binding): the QR code as a picture
 *   to save and scan from the album, with the steps. The widget still waits for the scan: someone may
 *   scan the screen with another phone.
 * - `pending`: inside WeChat, while asking the server whether web authorization is on.
 */
export type WidgetMode = 'one-tap' | 'scan' | 'save' | 'pending';

export function widgetModeFor(browser: BrowserKind, purpose: WechatQrPurpose, webAuthorization: boolean | null): WidgetMode {
  if (browser === 'wechat' && purpose === 'login') {
    if (webAuthorization === null) return 'pending';
    if (webAuthorization) return 'one-tap';
  }
  return browser === 'desktop' ? 'scan' : 'save';
}

export interface WidgetModeOptions {
  browser: BrowserKind;
  purpose: () => WechatQrPurpose;
  /** What the page said (the SPA knows from its site facts); null when it did not. */
  declaredWebAuthorization: () => boolean | null;
  client: WechatLoginClient;
}

/**
 * The widget's mode. When the page did not say whether web authorization is on, the client asks the
 * server, once, and only where the answer matters (inside WeChat, signing in); a failed question counts as off.
 */
export function useWidgetMode(options: WidgetModeOptions): ComputedRef<WidgetMode> {
  const answered = ref<boolean | null>(null);
  let asked = false;

  const webAuthorization = computed<boolean | null>(() => {
    const declared = options.declaredWebAuthorization();
    if (declared !== null) return declared;
    if (options.browser !== 'wechat' || options.purpose() !== 'login') return false;
    return options.client.webAuthorizationAvailable ? answered.value : false;
  });

  watch(
    webAuthorization,
    (known) => {
      if (known !== null || asked || !options.client.webAuthorizationAvailable) return;
      asked = true;
      options.client.webAuthorizationAvailable().then(
        (available) => (answered.value = available),
        () => (answered.value = false),
      );
    },
    { immediate: true },
  );

  return computed(() => widgetModeFor(options.browser, options.purpose(), webAuthorization.value));
}
