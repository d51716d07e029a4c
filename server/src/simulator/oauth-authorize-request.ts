import type { OAuthScope } from './oauth-codes.js';

/**
 * What open.weixin.qq.com/connect/oauth2/authorize checks before it shows anything, and where it
 * sends the browser afterwards. WeChat shows a refusal as a page with an errcode; the codes it
 * documents (10003 domain, 10005 scope, 10010-10012 missing fields) are used where they exist.
 */

/** The query fields of an authorization request, carried through the chooser and consent forms. */
export const AUTHORIZE_FIELDS = ['appid', 'redirect_uri', 'response_type', 'scope', 'state'] as const;
export type AuthorizeField = (typeof AUTHORIZE_FIELDS)[number];
export type AuthorizeFields = Partial<Record<AuthorizeField, string>>;

export interface AuthorizeRequest {
  appId: string;
  redirectUri: URL;
  scope: OAuthScope;
  /** Passed back untouched; '' when the request had none. */
  state: string;
}

export interface AuthorizeRefusal {
  errcode: number;
  /** What WeChat's page says. */
  message: string;
  /** What a developer should change (the simulator's own addition). */
  hint: string;
}

export type AuthorizeReading = { request: AuthorizeRequest } | { refusal: AuthorizeRefusal };

export interface AuthorizeRules {
  appId: string;
  /** Lower-cased host[:port] entries; null allows any host. */
  redirectDomains: readonly string[] | null;
}

const MAX_REDIRECT_URI_LENGTH = 2048;
/** WeChat's documented rule: state is up to 128 bytes of a-zA-Z0-9. */
const STATE_PATTERN = /^[a-zA-Z0-9]{0,128}$/;

function refuse(errcode: number, message: string, hint: string): { refusal: AuthorizeRefusal } {
  return { refusal: { errcode, message, hint } };
}

function parseRedirectUri(value: string): URL | null {
  if (value.length > MAX_REDIRECT_URI_LENGTH) return null;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : null;
  } catch {
    return null;
  }
}

function readScope(value: string | undefined): OAuthScope | { refusal: AuthorizeRefusal } {
  if (!value) return refuse(10010, 'scope不能为空', 'Add scope=snsapi_base or scope=snsapi_userinfo.');
  if (value === 'snsapi_base' || value === 'snsapi_userinfo') return value;
  return refuse(10005, 'scope参数错误或没有scope权限', `scope must be snsapi_base or snsapi_userinfo, not '${value.slice(0, 64)}'.`);
}

export function readAuthorizeRequest(fields: AuthorizeFields, rules: AuthorizeRules): AuthorizeReading {
  const { appid, redirect_uri: rawRedirectUri, response_type: responseType, state = '' } = fields;
  if (!appid) return refuse(10012, 'appid不能为空', 'Add the Official Account appid.');
  if (appid !== rules.appId) return refuse(10002, 'appid参数错误', 'The appid is not this account\'s (WECHAT_MP_APPID).');
  if (!rawRedirectUri) return refuse(10011, 'redirect_uri不能为空', 'Add redirect_uri, URL-encoded.');
  const redirectUri = parseRedirectUri(rawRedirectUri);
  if (!redirectUri) return refuse(10003, 'redirect_uri参数错误', 'redirect_uri must be an absolute http(s) URL of at most 2048 characters.');
  if (rules.redirectDomains && !rules.redirectDomains.includes(redirectUri.host.toLowerCase())) {
    return refuse(10003, 'redirect_uri域名与后台配置不一致', `Add '${redirectUri.host}' to the account's 网页授权域名 (oauthRedirectDomains).`);
  }
  if (responseType !== 'code') return refuse(10001, 'response_type参数错误', 'response_type must be code.');
  const scope = readScope(fields.scope);
  if (typeof scope !== 'string') return scope;
  if (!STATE_PATTERN.test(state)) return refuse(10013, 'state参数错误', 'state may hold only a-zA-Z0-9, at most 128 characters.');
  return { request: { appId: appid, redirectUri, scope, state } };
}

/** The request as query text again, for the links and forms that come back to it. */
export function authorizeQueryString(fields: AuthorizeFields): string {
  const query = new URLSearchParams();
  for (const name of AUTHORIZE_FIELDS) {
    const value = fields[name];
    if (value !== undefined) query.set(name, value);
  }
  return query.toString();
}

/**
 * redirect_uri with `code` (when granted) and `state` appended to its own query, its fragment
 * dropped: redirect_uri?code=CODE&state=STATE, or redirect_uri?state=STATE after a refusal.
 */
export function callbackUrl(request: AuthorizeRequest, code: string | null): string {
  const target = new URL(request.redirectUri.href);
  target.hash = '';
  const base = target.href.replace(/#$/, '');
  const added = `${code === null ? '' : `code=${encodeURIComponent(code)}&`}state=${encodeURIComponent(request.state)}`;
  if (!base.includes('?')) return `${base}?${added}`;
  return base.endsWith('?') || base.endsWith('&') ? `${base}${added}` : `${base}&${added}`;
}
