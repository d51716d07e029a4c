import { WECHAT_OAUTH_PATHS } from '@wechat-login/shared';

/** The two scopes of an Official Account's web authorization. */
export type WechatOAuthScope = 'snsapi_base' | 'snsapi_userinfo';

/** WeChat takes a state of up to 128 bytes of [a-zA-Z0-9] only. */
export const OAUTH_STATE_PATTERN = /^[A-Za-z0-9]{1,128}$/;

/**
 * WeChat's authorization page URL. WeChat checks the parameters in exactly this order and needs the
 * `#wechat_redirect` fragment, so the query is written by hand rather than with URLSearchParams
 * (which would also encode the redirect URI differently from what WeChat's docs show).
 */
export function buildAuthorizeUrl(input: { authorizeBase: string; appId: string; redirectUri: string; scope: WechatOAuthScope; state: string }): string {
  if (!OAUTH_STATE_PATTERN.test(input.state)) throw new RangeError('an OAuth state must be 1..128 characters of [a-zA-Z0-9]');
  const base = input.authorizeBase.replace(/\/+$/, '');
  return (
    `${base}${WECHAT_OAUTH_PATHS.authorize}` +
    `?appid=${encodeURIComponent(input.appId)}` +
    `&redirect_uri=${encodeURIComponent(input.redirectUri)}` +
    '&response_type=code' +
    `&scope=${input.scope}` +
    `&state=${input.state}` +
    '#wechat_redirect'
  );
}
