import { randomBytes } from 'node:crypto';

/** The JSON WeChat answers with (HTTP 200) when an API call fails. */
export interface WechatErrorBody {
  errcode: number;
  errmsg: string;
}

/** The errmsg WeChat sends for each code, without the trailing rid. */
const WECHAT_ERRMSG: Readonly<Record<number, string>> = {
  [-1]: 'system error',
  40001: 'invalid credential, access_token is invalid or not latest',
  40002: 'invalid grant_type',
  40003: 'invalid openid',
  40013: 'invalid appid',
  40014: 'invalid access_token',
  40029: 'invalid code',
  40097: 'invalid args',
  40125: 'invalid appsecret',
  40163: 'code been used',
  40164: 'invalid ip 0.0.0.0 ipv6 ::ffff:0.0.0.0, not in whitelist',
  40243: 'AppSecret已被冻结，请登录MP解冻后再次调用。',
  41001: 'access_token missing',
  41002: 'appid missing',
  41004: 'appsecret missing',
  41008: 'missing code',
  41009: 'missing openid',
  42001: 'access_token expired',
  45009: 'reach max api daily quota limit',
  45011: 'api minute-quota reach limit  mustslower  retry next minute',
  47001: 'data format error',
  48001: 'api unauthorized',
};

/** WeChat's request id, which its support asks for: three groups of 8 hex digits. */
export function newRid(): string {
  const hex = randomBytes(12).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 16)}-${hex.slice(16)}`;
}

/** An error body with the message WeChat uses for `errcode` (or `errmsg`), ending in ` rid: …`. */
export function wechatErrorBody(errcode: number, errmsg?: string): WechatErrorBody {
  const message = errmsg ?? WECHAT_ERRMSG[errcode] ?? 'unknown error';
  return { errcode, errmsg: message.includes(' rid: ') ? message : `${message} rid: ${newRid()}` };
}
