import type { User } from 'better-auth';
import type { WechatAccount } from '../../plugins/wechat/identity.js';

/** The scopes the provider offers: OIDC's own, plus `wechat` for the person's WeChat identifiers. */
export const OIDC_SCOPES = ['openid', 'profile', 'email', 'offline_access', 'wechat'] as const;

/** Scope that adds `wechat_openid` and `wechat_unionid` (unionid: how apps under one Open Platform recognise a person). */
export const WECHAT_SCOPE = 'wechat';

/** Every claim we can put in an id_token or a userinfo answer, advertised in discovery. */
export const OIDC_CLAIMS_SUPPORTED = [
  'sub', 'iss', 'aud', 'exp', 'iat', 'sid', 'scope', 'azp',
  'name', 'picture', 'preferred_username', 'email', 'email_verified', 'wechat_openid', 'wechat_unionid',
];

/** Finds the user's WeChat account; the lookup goes through better-auth's adapter (WechatIdentities). */
export type FindWechatAccount = (userId: string) => Promise<WechatAccount | null>;

/** `wechat_openid`/`wechat_unionid` for the `wechat` scope, only the ones the person has. */
export async function wechatClaims(findAccount: FindWechatAccount, userId: string, scopes: readonly string[]): Promise<Record<string, string>> {
  if (!scopes.includes(WECHAT_SCOPE)) return {};
  const account = await findAccount(userId);
  if (!account) return {};
  const claims: Record<string, string> = {};
  if (account.wechatOpenid) claims.wechat_openid = account.wechatOpenid;
  if (account.wechatUnionid) claims.wechat_unionid = account.wechatUnionid;
  return claims;
}

/** The username as `preferred_username` under `profile` (the plugin gives name and picture itself). */
export function profileClaims(user: User & Record<string, unknown>, scopes: readonly string[]): Record<string, string> {
  if (!scopes.includes('profile')) return {};
  const username = user.displayUsername ?? user.username;
  return typeof username === 'string' && username ? { preferred_username: username } : {};
}

/**
 * The scope claims put in the id_token as well as at userinfo: `name`, `picture`,
 * `preferred_username` for `profile`; `email`/`email_verified` for `email`, and only for a real
 * address. The plugin follows OIDC Core §5.4 to the letter and sends them to userinfo alone, but
 * common clients read the id_token only (Auth.js builds its user from it unless told otherwise),
 * and would sign people in with an empty profile. The spec allows both; Google and Keycloak do both.
 */
export function idTokenScopeClaims(user: User & Record<string, unknown>, scopes: readonly string[], isPlaceholderEmail: (email: string) => boolean): Record<string, string | boolean> {
  const claims: Record<string, string | boolean> = {};
  if (scopes.includes('profile')) {
    if (user.name) claims.name = user.name;
    if (user.image) claims.picture = user.image;
    Object.assign(claims, profileClaims(user, scopes));
  }
  if (scopes.includes('email') && user.email && !isPlaceholderEmail(user.email)) {
    claims.email = user.email;
    claims.email_verified = Boolean(user.emailVerified);
  }
  return claims;
}

/**
 * A userinfo answer without `email`/`email_verified` when the address is a WeChat placeholder: a
 * label, not a mailbox, and an app that mails it (or matches accounts by it) would be wrong. The
 * plugin always adds both for the `email` scope, so they are taken out afterwards.
 */
export function withoutPlaceholderEmail(userinfo: Record<string, unknown>, isPlaceholder: (email: string) => boolean): Record<string, unknown> {
  if (typeof userinfo.email !== 'string' || !isPlaceholder(userinfo.email)) return userinfo;
  const { email: _email, email_verified: _emailVerified, ...rest } = userinfo;
  return rest;
}
