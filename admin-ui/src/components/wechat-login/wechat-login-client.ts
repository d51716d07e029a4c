import type { InjectionKey } from 'vue';
import type { ScannedResult, WaitForScanOptions } from '@wechat-login/server/wechat-client';
import type { Qrcode } from '@wechat-login/shared';

export type WechatQrPurpose = 'login' | 'bind';

/** What a scan tells the page: the scene that was scanned (for sign-in or binding) and who scanned it. */
export type WechatScan = ScannedResult & { sceneId: string };

/** The fields of the signed-in user the widget hands on; better-auth's user has more. */
export interface WechatSignedInUser {
  id: string;
  name: string;
  email: string;
  image?: string | null | undefined;
}

interface ClientError {
  code?: string | undefined;
  status?: number | undefined;
}

/**
 * The calls the widget makes. The SPA passes its better-auth client's methods; the `<wechat-login>`
 * custom element builds a small client of its own; tests pass fakes.
 */
export interface WechatLoginClient {
  getQrcode(input: { purpose: WechatQrPurpose; signal: AbortSignal }): Promise<Qrcode>;
  waitForScan(sceneId: string, options: WaitForScanOptions): Promise<ScannedResult>;
  signInWechat(input: { sceneId: string }): Promise<{ data: { user: WechatSignedInUser; isNewUser?: boolean } | null; error: ClientError | null }>;
}

/** What the page learns besides the user: whether this sign-in just created the account. */
export interface WechatSignInInfo {
  isNewUser: boolean;
}

export const WECHAT_LOGIN_CLIENT: InjectionKey<WechatLoginClient> = Symbol('wechat-login-client');
