/**
 * Where the server's routes live: one definition for the server, its tests, the better-auth client
 * plugin and the dashboard, so a path is never spelled twice.
 */

export const AUTH_BASE_PATH = '/api/auth';
export const API_V1_PATH = '/api/v1';

/** The public WeChat routes of the original guide: QR codes, scan results, the phone's confirmation, the webhook. */
export const WECHAT_PUBLIC_PATH = `${API_V1_PATH}/pub/mp`;
export const WECHAT_PUBLIC_ROUTES = {
  getQrcode: '/get-qrcode',
  getScanResult: '/get-scan-result',
  scanEvents: '/scan-events',
  /** Followed by `/:sceneId?t=…`: the page the link in the chat reply opens. */
  confirm: '/confirm',
  webhook: '/webhook',
} as const;

/** The `wechat` better-auth plugin's endpoints, below AUTH_BASE_PATH. */
export const WECHAT_AUTH_ENDPOINTS = {
  signInWechat: '/sign-in-wechat',
  checkWechatBinding: '/check-wechat-binding',
  bindWechat: '/bind-wechat',
  unbindWechat: '/unbind-wechat',
  setFirstPassword: '/set-first-password',
  /** Web authorization inside WeChat: `{url, redirect: true}` to WeChat's authorization page. */
  signInWechatOAuth: '/sign-in-wechat-oauth',
  bindWechatOAuth: '/bind-wechat-oauth',
  /** Where WeChat's authorization page sends the browser back with `code` and `state`. */
  wechatOAuthCallback: '/wechat-oauth/callback',
} as const;

/** WeChat's web authorization, below WECHAT_MP_OAUTH_BASE (the authorization page) and WECHAT_MP_API_BASE (the rest). */
export const WECHAT_OAUTH_PATHS = {
  authorize: '/connect/oauth2/authorize',
  accessToken: '/sns/oauth2/access_token',
  userInfo: '/sns/userinfo',
} as const;

/** The endpoints that sign in or change how the user signs in: rate-limited as credentials, and followed by a session refresh in the client. */
export const WECHAT_CREDENTIAL_ENDPOINTS: readonly string[] = [
  WECHAT_AUTH_ENDPOINTS.signInWechat,
  WECHAT_AUTH_ENDPOINTS.bindWechat,
  WECHAT_AUTH_ENDPOINTS.unbindWechat,
  WECHAT_AUTH_ENDPOINTS.setFirstPassword,
  WECHAT_AUTH_ENDPOINTS.signInWechatOAuth,
  WECHAT_AUTH_ENDPOINTS.bindWechatOAuth,
  WECHAT_AUTH_ENDPOINTS.wechatOAuthCallback,
];
