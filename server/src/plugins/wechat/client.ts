import type { BetterAuthClientPlugin } from 'better-auth/client';
import type { wechat } from './index.js';
import { WECHAT_AUTH_ENDPOINTS, WECHAT_CREDENTIAL_ENDPOINTS } from '@wechat-login/shared';
import { fetchQrcode, waitForScan, type WaitForScanOptions } from './scan-waiter.js';

export { ScanWaitError, SCAN_POLL_INTERVAL_MS, type ScannedResult, type WaitForScanOptions } from './scan-waiter.js';

/** The origin our own routes live on: the client's baseURL, else the page's. */
function originOf(baseURL: string | undefined): string {
  if (baseURL) return new URL(baseURL).origin;
  return (globalThis as { location?: { origin: string } }).location?.origin ?? '';
}

/**
 * The browser side of the `wechat` plugin: `signInWechat({sceneId})`,
 * `checkWechatBinding()`, `bindWechat({sceneId})`, `unbindWechat()` (better-auth
 * endpoints), plus `getQrcode()` and `waitForScan(sceneId)` for our QR routes.
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
    },
    getActions: (_fetch, _store, options) => ({
      getQrcode: (input: { purpose?: 'login' | 'bind'; signal?: AbortSignal } = {}) => fetchQrcode(originOf(options?.baseURL), input.purpose, input.signal),
      waitForScan: (sceneId: string, waitOptions?: WaitForScanOptions) => waitForScan(originOf(options?.baseURL), sceneId, waitOptions),
    }),
    atomListeners: [
      { matcher: (path) => WECHAT_CREDENTIAL_ENDPOINTS.includes(path), signal: '$sessionSignal' },
    ],
  }) satisfies BetterAuthClientPlugin;
