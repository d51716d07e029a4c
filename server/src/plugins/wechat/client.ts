import type { BetterAuthClientPlugin } from 'better-auth/client';
import type { wechat } from './index.js';
import { isWechatBrowser as isWechatUserAgent, WECHAT_AUTH_ENDPOINTS, WECHAT_CREDENTIAL_ENDPOINTS } from '@wechat-login/shared';
import { fetchQrcode, waitForScan, type WaitForScanOptions } from './scan-waiter.js';

export { ScanWaitError, SCAN_POLL_INTERVAL_MS, type ScannedResult, type WaitForScanOptions } from './scan-waiter.js';

/** The origin our own routes live on: the client's baseURL, else the page's. */
function originOf(baseURL: string | undefined): string {
  if (baseURL) return new URL(baseURL).origin;
  return (globalThis as { location?: { origin: string } }).location?.origin ?? '';
}

/** Where web authorization sends the browser back: same-origin paths such as `/account` (the server refuses anything else). */
export interface WechatOAuthRedirects {
  /** After success; default `/`. */
  callbackURL?: string;
  /** After the first sign-in of a new user; default callbackURL. */
  newUserCallbackURL?: string;
  /** After a failure, with `?error=CODE` added; default `/sign-in`. */
  errorCallbackURL?: string;
}

export interface SignInWechatOAuthInput extends WechatOAuthRedirects {
  /** `base` never asks (openid only), `userinfo` always asks for the nickname and avatar; default: the server's WECHAT_MP_OAUTH_SCOPE. */
  scope?: 'base' | 'userinfo';
}

/** True inside WeChat's own browser, where web authorization works and the phone cannot scan its own screen. */
export function isWechatBrowser(userAgent: string | undefined = (globalThis as { navigator?: { userAgent?: string } }).navigator?.userAgent): boolean {
  return isWechatUserAgent(userAgent);
}

/**
 * The browser side of the `wechat` plugin: `signInWechat({sceneId})`,
 * `checkWechatBinding()`, `bindWechat({sceneId})`, `unbindWechat()` (better-auth
 * endpoints), plus `getQrcode()` and `waitForScan(sceneId)` for our QR routes, and inside WeChat
 * `signInWechatOAuth()` / `bindWechatOAuth()`: each answers `{url, redirect: true}` and the client goes
 * to WeChat's authorization page, which comes back to the server's callback and then to `callbackURL`.
 * The browser never sends an identity: only the scene id of its own QR code.
 */
export const wechatClient = () =>
  ({
    id: 'wechat',
    $InferServerPlugin: {} as ReturnType<typeof wechat>,
    pathMethods: {
      [WECHAT_AUTH_ENDPOINTS.signInWechat]: 'POST',
      [WECHAT_AUTH_ENDPOINTS.bindWechat]: 'POST',
      [WECHAT_AUTH_ENDPOINTS.unbindWechat]: 'POST',
      [WECHAT_AUTH_ENDPOINTS.checkWechatBinding]: 'GET',
      [WECHAT_AUTH_ENDPOINTS.setFirstPassword]: 'POST',
      [WECHAT_AUTH_ENDPOINTS.signInWechatOAuth]: 'POST',
      [WECHAT_AUTH_ENDPOINTS.bindWechatOAuth]: 'POST',
    },
    getActions: ($fetch, _store, options) => ({
      signInWechatOAuth: (input: SignInWechatOAuthInput = {}) =>
        $fetch<{ url: string; redirect: boolean }>(WECHAT_AUTH_ENDPOINTS.signInWechatOAuth, { method: 'POST', body: input }),
      bindWechatOAuth: (input: WechatOAuthRedirects = {}) =>
        $fetch<{ url: string; redirect: boolean }>(WECHAT_AUTH_ENDPOINTS.bindWechatOAuth, { method: 'POST', body: input }),
      isWechatBrowser: () => isWechatBrowser(),
      getQrcode: (input: { purpose?: 'login' | 'bind'; signal?: AbortSignal } = {}) => fetchQrcode(originOf(options?.baseURL), input.purpose, input.signal),
      waitForScan: (sceneId: string, waitOptions?: WaitForScanOptions) => waitForScan(originOf(options?.baseURL), sceneId, waitOptions),
    }),
    atomListeners: [
      { matcher: (path) => WECHAT_CREDENTIAL_ENDPOINTS.includes(path), signal: '$sessionSignal' },
    ],
  }) satisfies BetterAuthClientPlugin;
