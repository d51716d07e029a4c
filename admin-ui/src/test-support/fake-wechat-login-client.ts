import { vi } from 'vitest';
import type { ScannedResult, WaitForScanOptions } from '@wechat-login/server/wechat-client';
import type { Qrcode } from '@wechat-login/shared';
import type { WechatLoginClient, WechatQrPurpose } from '@/components/wechat-login/wechat-login-client';

/** Where the server sends a one-tap sign-in: WeChat's authorization page. */
export const WECHAT_AUTHORIZE_URL = 'https://open.weixin.qq.com/connect/oauth2/authorize?appid=wx-test#wechat_redirect';

export interface PendingWait {
  sceneId: string;
  signal: AbortSignal;
  /** The server says: scanned, now waiting for the confirmation on the phone. */
  awaitConfirmation: () => void;
  resolve: (result: ScannedResult) => void;
  reject: (error: unknown) => void;
}

export const SCANNED: ScannedResult = { status: 'confirmed', scanned: true, openid: 'o-alice', unionid: null, nickname: null, avatar: null };
export const SIGNED_IN_USER = { id: 'u1', name: 'WeChat user', email: 'o-alice@wechat.placeholder' };

/**
 * A client whose QR codes the test scans, expires or fails by hand; `signInWechatOAuth` answers as the
 * server does when it sends the browser to WeChat's authorization page.
 */
export function fakeWechatLoginClient(expiresInSeconds = 300) {
  const waits: PendingWait[] = [];
  let issued = 0;
  const client = {
    getQrcode: vi.fn(async (_input: { purpose: WechatQrPurpose; signal: AbortSignal }): Promise<Qrcode> => {
      issued += 1;
      return { sceneId: `scene-${String(issued).padStart(16, '0')}`, qrcodeUrl: `/showqrcode/${issued}`, qrcodeContent: `http://weixin.qq.com/q/${issued}`, expiresIn: expiresInSeconds };
    }),
    waitForScan: vi.fn(
      (sceneId: string, options: WaitForScanOptions) =>
        new Promise<ScannedResult>((resolve, reject) => {
          const signal = options.signal as AbortSignal;
          waits.push({ sceneId, signal, resolve, reject, awaitConfirmation: () => options.onAwaitingConfirmation?.() });
          signal.addEventListener('abort', () => reject(new DOMException('Aborted', 'AbortError')));
        }),
    ),
    signInWechat: vi.fn<WechatLoginClient['signInWechat']>(async () => ({ data: { user: SIGNED_IN_USER }, error: null })),
    signInWechatOAuth: vi.fn<WechatLoginClient['signInWechatOAuth']>(async () => ({ data: { url: WECHAT_AUTHORIZE_URL, redirect: true }, error: null })),
  };
  const latestWait = (): PendingWait => {
    const wait = waits.at(-1);
    if (!wait) throw new Error('the widget is not waiting for a scan');
    return wait;
  };
  return { client, waits, latestWait };
}
