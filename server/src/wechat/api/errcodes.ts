import type { ApiErrorCode } from '@wechat-login/shared';

/**
 * The one table from WeChat's `errcode` to our code, HTTP status, recovery and an actionable message
 * (wechat-protocol.md section 5). Statuses: 500 when our own configuration must change, 502 when
 * WeChat failed or refused, 503 when a quota is spent, 400 when the caller's input was bad.
 */

/** What the API client does with the error: refresh the token and retry once, back off and retry, or stop. */
export type WechatRecovery = 'refresh-token' | 'retry-with-backoff' | 'none';

export interface WechatErrcodeContext {
  errcode: number;
  errmsg: string;
  nowMs: number;
}

export interface WechatErrcodeRule {
  code: ApiErrorCode;
  status: number;
  recovery: WechatRecovery;
  message: (context: WechatErrcodeContext) => string;
  /** Extra details beside errcode and errmsg, such as retryAfterSeconds. */
  details?: (context: WechatErrcodeContext) => Record<string, unknown>;
}

const IP_WHITELIST_PLACE =
  'WeChat Developer Platform > My Business > Official Account > Basic Info > Development Key > API IP whitelist ' +
  '(older admin: Settings & Development > Basic Configuration > IP whitelist)';

/** WeChat names the refused caller in errmsg, e.g. "invalid ip 1.2.3.4 ipv6 ::ffff:1.2.3.4, not in whitelist". */
export function extractCallerIp(errmsg: string): string | null {
  const ipv4 = /(?<![\d.])(\d{1,3}(?:\.\d{1,3}){3})(?![\d.])/.exec(errmsg);
  if (ipv4?.[1]) return ipv4[1];
  const ipv6 = /ipv6\s+([0-9a-fA-F:]*:[0-9a-fA-F:.]*)/i.exec(errmsg);
  return ipv6?.[1] ?? null;
}

/** WeChat's daily quotas reset at midnight China Standard Time (UTC+8). */
export function secondsUntilChinaMidnight(nowMs: number): number {
  const dayMs = 24 * 3600 * 1000;
  const chinaOffsetMs = 8 * 3600 * 1000;
  const msIntoChinaDay = (((nowMs + chinaOffsetMs) % dayMs) + dayMs) % dayMs;
  return Math.max(60, Math.ceil((dayMs - msIntoChinaDay) / 1000));
}

const busy: WechatErrcodeRule = {
  code: 'WECHAT_BUSY',
  status: 502,
  recovery: 'retry-with-backoff',
  message: () => 'WeChat is busy (errcode -1) and did not recover after retries: try again in a moment',
};

const tokenRejected: WechatErrcodeRule = {
  code: 'WECHAT_TOKEN_INVALID',
  status: 502,
  recovery: 'refresh-token',
  message: ({ errcode }) =>
    `WeChat refused the access token (errcode ${errcode}) even after a fresh one was fetched: ` +
    'make sure nothing else refreshes the token of this WECHAT_MP_APPID with /cgi-bin/token',
};

function configRule(what: string): WechatErrcodeRule {
  return {
    code: 'WECHAT_CONFIG_INVALID',
    status: 500,
    recovery: 'none',
    message: ({ errcode }) => `WeChat rejected ${what} (errcode ${errcode}): check WECHAT_MP_APPID / WECHAT_MP_SECRET`,
  };
}

const ipNotWhitelisted: WechatErrcodeRule = {
  code: 'WECHAT_IP_NOT_WHITELISTED',
  status: 500,
  recovery: 'none',
  message: ({ errcode, errmsg }) => {
    const ip = extractCallerIp(errmsg);
    const subject = ip === null ? "this server's public IP" : `IP ${ip}`;
    return `WeChat refused a call from ${subject} (errcode ${errcode}): add ${ip ?? 'it'} under ${IP_WHITELIST_PLACE}`;
  },
  details: ({ errmsg }) => ({ callerIp: extractCallerIp(errmsg) }),
};

function quotaRule(period: 'daily' | 'per-minute'): WechatErrcodeRule {
  const retryAfterSeconds = (nowMs: number) => (period === 'daily' ? secondsUntilChinaMidnight(nowMs) : 60);
  return {
    code: 'WECHAT_QUOTA_EXCEEDED',
    status: 503,
    recovery: 'none', // retrying spends nothing but goodwill: wait for the reset
    message: ({ errcode, nowMs }) =>
      `The ${period} WeChat API quota is used up (errcode ${errcode}): try again in ${retryAfterSeconds(nowMs)} s`,
    details: ({ nowMs }) => ({ retryAfterSeconds: retryAfterSeconds(nowMs) }),
  };
}

const apiUnauthorized: WechatErrcodeRule = {
  code: 'WECHAT_API_UNAUTHORIZED',
  status: 500,
  recovery: 'none',
  message: () =>
    'This WeChat account may not call this API (errcode 48001): parametric QR codes need a verified Service Account, ' +
    'not a Subscription Account',
};

const oauthCodeInvalid: WechatErrcodeRule = {
  code: 'WECHAT_OAUTH_CODE_INVALID',
  status: 400,
  recovery: 'none',
  message: ({ errcode }) => `The WeChat authorization code is invalid or already used (errcode ${errcode}): sign in again`,
};

export const WECHAT_ERRCODE_RULES: ReadonlyMap<number, WechatErrcodeRule> = new Map([
  [-1, busy],
  [40001, tokenRejected],
  [40014, tokenRejected],
  [42001, tokenRejected],
  [40013, configRule('the AppID')],
  [40125, configRule('the AppSecret')],
  [40243, configRule('the AppSecret as frozen')],
  [40164, ipNotWhitelisted],
  [61004, ipNotWhitelisted],
  [45009, quotaRule('daily')],
  [45011, quotaRule('per-minute')],
  [48001, apiUnauthorized],
  [40029, oauthCodeInvalid],
  [40163, oauthCodeInvalid],
]);

/** Any errcode not in the table: errmsg is kept whole, since its `rid` is what WeChat support asks for. */
export const UNKNOWN_WECHAT_ERRCODE_RULE: WechatErrcodeRule = {
  code: 'WECHAT_API_ERROR',
  status: 502,
  recovery: 'none',
  message: ({ errcode, errmsg }) => `WeChat answered with errcode ${errcode}: ${errmsg}`,
};

export function wechatErrcodeRule(errcode: number): WechatErrcodeRule {
  return WECHAT_ERRCODE_RULES.get(errcode) ?? UNKNOWN_WECHAT_ERRCODE_RULE;
}
