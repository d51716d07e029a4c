import type { InjectionKey } from 'vue';
import type { ScannedResult, SignInWechatOAuthInput, WaitForScanOptions } from '@wechat-login/server/wechat-client';
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
  /** `oauth_query`: the OIDC provider's signed query, when the sign-in continues an app's authorization. */
  signInWechat(input: { sceneId: string; oauth_query?: string }): Promise<{ data: { user: WechatSignedInUser; isNewUser?: boolean } | null; error: ClientError | null }>;
  /**
   * Inside WeChat: starts web authorization. On success better-auth's client itself sends the browser to
   * WeChat's authorization page (`data.url`); the widget only has to show that it is on its way.
   */
  signInWechatOAuth(input: SignInWechatOAuthInput): Promise<{ data: { url: string; redirect: boolean } | null; error: ClientError | null }>;
  /**
   * Whether the site has web authorization on, for a widget whose page did not say (the custom element);
   * asked only inside WeChat. Without it, the widget counts it as off and shows the QR code.
   */
  webAuthorizationAvailable?(): Promise<boolean>;
}

/** What the page learns besides the user: whether this sign-in just created the account. */
export interface WechatSignInInfo {
  isNewUser: boolean;
}

export const WECHAT_LOGIN_CLIENT: InjectionKey<WechatLoginClient> = Symbol('wechat-login-client');
