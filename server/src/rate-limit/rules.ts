import { WECHAT_AUTH_ENDPOINTS } from '@wechat-login/shared';

/** The `wechat` plugin's endpoints that sign in or change a binding share the WeChat budget. */
const WECHAT_SIGN_IN_PATHS: readonly string[] = [
  WECHAT_AUTH_ENDPOINTS.signInWechat,
  WECHAT_AUTH_ENDPOINTS.bindWechat,
  WECHAT_AUTH_ENDPOINTS.unbindWechat,
  // Web authorization: each start issues a state, each callback spends a code with WeChat.
  WECHAT_AUTH_ENDPOINTS.signInWechatOAuth,
  WECHAT_AUTH_ENDPOINTS.bindWechatOAuth,
  WECHAT_AUTH_ENDPOINTS.wechatOAuthCallback,
];

/** A budget of requests per client IP and window. */
export interface RateLimitRule {
  /** Names the counter: rules with the same name share one budget. */
  name: string;
  max: number;
  windowMs: number;
}

const MINUTE_MS = 60_000;

/**
 * Per-IP budgets, generous for people and tight for scripts. Polling every
 * 2 s is 30 requests a minute per tab; the scan-result budget allows a few tabs.
 */
export const RATE_LIMIT_RULES = {
  getQrcode: { name: 'get-qrcode', max: 20, windowMs: MINUTE_MS },
  getScanResult: { name: 'get-scan-result', max: 120, windowMs: MINUTE_MS },
  scanEvents: { name: 'scan-events', max: 30, windowMs: MINUTE_MS },
  /** The phone's confirmation page: a few opens and one answer per scan. */
  scanConfirmation: { name: 'scan-confirmation', max: 30, windowMs: MINUTE_MS },
  passwordSignIn: { name: 'password-sign-in', max: 10, windowMs: MINUTE_MS },
  signUp: { name: 'sign-up', max: 5, windowMs: MINUTE_MS },
  wechatAuth: { name: 'wechat-auth', max: 20, windowMs: MINUTE_MS },
  credentialChange: { name: 'credential-change', max: 10, windowMs: MINUTE_MS },
  authOther: { name: 'auth', max: 300, windowMs: MINUTE_MS },
  ownProfile: { name: 'own-profile', max: 60, windowMs: MINUTE_MS },
  avatarUpload: { name: 'avatar-upload', max: 10, windowMs: MINUTE_MS },
  // An admin page shows up to 100 avatars; immutable caching keeps repeat views off the budget.
  avatarRead: { name: 'avatar-read', max: 600, windowMs: MINUTE_MS },
  // WeChat pushes from a pool of hundreds of addresses (its callback IP list), so one address carries
  // a small share of even a busy account's pushes; 10 a second from one address is a script.
  wechatWebhook: { name: 'wechat-webhook', max: 600, windowMs: MINUTE_MS },
} satisfies Record<string, RateLimitRule>;

/**
 * Which budget a better-auth path (below /api/auth, as its router resolves it)
 * draws from. Case and trailing slashes are ignored, so no spelling of a path
 * the router might accept falls through to the generous default.
 */
export function authRuleFor(path: string): RateLimitRule {
  const key = path.toLowerCase().replace(/\/+$/, '');
  if (key.startsWith('/sign-in/')) return RATE_LIMIT_RULES.passwordSignIn;
  // Answers whether a username exists: an enumeration oracle, only the sign-up form has a use for it.
  if (key.startsWith('/sign-up/') || key === '/is-username-available') return RATE_LIMIT_RULES.signUp;
  if (WECHAT_SIGN_IN_PATHS.includes(key)) return RATE_LIMIT_RULES.wechatAuth;
  // verify-password checks the signed-in user's password: as guessable as change-password.
  if (['/change-password', '/change-email', WECHAT_AUTH_ENDPOINTS.setFirstPassword, '/request-password-reset', '/reset-password', '/verify-password'].includes(key)) {
    return RATE_LIMIT_RULES.credentialChange;
  }
  return RATE_LIMIT_RULES.authOther;
}
