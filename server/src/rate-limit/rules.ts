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
  // The OIDC provider. An app's back end is one address redeeming codes and refreshing for all its
  // users, so its budgets are wide; codes, tokens and secrets are too long to guess, so these stop
  // floods, not guessing. The token endpoint has two: the address's, for every app behind it (one
  // office NAT, one cloud egress), and each app's from that address (oidcTokenPerClient), so one app
  // in a loop does not use up the others'.
  oidcToken: { name: 'oidc-token', max: 1200, windowMs: MINUTE_MS },
  oidcTokenPerClient: { name: 'oidc-token-client', max: 300, windowMs: MINUTE_MS },
  oidcUserinfo: { name: 'oidc-userinfo', max: 300, windowMs: MINUTE_MS },
  oidcIntrospect: { name: 'oidc-introspect', max: 300, windowMs: MINUTE_MS },
  oidcRevoke: { name: 'oidc-revoke', max: 60, windowMs: MINUTE_MS },
  /** A person's browser: a few sign-ins to a few apps a minute. */
  oidcAuthorize: { name: 'oidc-authorize', max: 60, windowMs: MINUTE_MS },
  oidcConsent: { name: 'oidc-consent', max: 30, windowMs: MINUTE_MS },
  /** Each registration stores a client: open registration (OIDC_DYNAMIC_REGISTRATION) must not fill the database. */
  oidcRegister: { name: 'oidc-register', max: 5, windowMs: MINUTE_MS },
} satisfies Record<string, RateLimitRule>;

/** The OIDC provider's endpoints below /api/auth and their budgets. */
const OIDC_RULES: ReadonlyMap<string, RateLimitRule> = new Map([
  ['/oauth2/token', RATE_LIMIT_RULES.oidcToken],
  ['/oauth2/userinfo', RATE_LIMIT_RULES.oidcUserinfo],
  ['/oauth2/introspect', RATE_LIMIT_RULES.oidcIntrospect],
  ['/oauth2/revoke', RATE_LIMIT_RULES.oidcRevoke],
  ['/oauth2/authorize', RATE_LIMIT_RULES.oidcAuthorize],
  ['/oauth2/consent', RATE_LIMIT_RULES.oidcConsent],
  ['/oauth2/register', RATE_LIMIT_RULES.oidcRegister],
]);

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
  const oidcRule = OIDC_RULES.get(key);
  if (oidcRule) return oidcRule;
  // verify-password checks the signed-in user's password: as guessable as change-password.
  if (['/change-password', '/change-email', WECHAT_AUTH_ENDPOINTS.setFirstPassword, '/request-password-reset', '/reset-password', '/verify-password'].includes(key)) {
    return RATE_LIMIT_RULES.credentialChange;
  }
  return RATE_LIMIT_RULES.authOther;
}
