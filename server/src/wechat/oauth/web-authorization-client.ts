import { z } from 'zod';
import { WECHAT_OAUTH_PATHS } from '@wechat-login/shared';
import { AppError } from '../../errors.js';
import { oauthError } from './oauth-errors.js';
import { isWechatApiError } from '../api/errors.js';
import { parseWechatAnswer, sendWechatRequest, type WechatTransport } from '../api/transport.js';
import type { WechatOAuthScope } from './authorize-url.js';

/** What the code exchange says about the person. The web access token never leaves this module. */
export interface WebAuthorizationGrant {
  openid: string;
  /** Only when the Official Account is bound to the Open Platform. */
  unionid: string | null;
  scope: WechatOAuthScope;
  /** Used by fetchProfile within the same request; never stored, logged or audited. */
  accessToken: string;
}

/** The profile a user shares by consenting to snsapi_userinfo. */
export interface WebAuthorizationProfile {
  nickname: string;
  /** An image URL on WeChat's image hosts, or null when the user has none. */
  headimgurl: string | null;
  unionid: string | null;
}

const grantAnswer = z.object({
  access_token: z.string().min(1),
  openid: z.string().min(1).max(128),
  scope: z.string(),
  unionid: z.string().min(1).max(128).optional(),
  is_snapshotuser: z.number().int().optional(),
});

const profileAnswer = z.object({
  openid: z.string().min(1),
  nickname: z.string().optional(),
  headimgurl: z.string().optional(),
  unionid: z.string().min(1).max(128).optional(),
});

/**
 * The code exchange and the user-info call of web authorization (网页授权). Both go to
 * WECHAT_MP_API_BASE with the AppSecret or a per-user token in the query, so, as for every WeChat
 * call, URLs are never logged. A code is single-use: the exchange is never retried, or a network
 * blip would spend it and the retry would read "code been used".
 */
export class WebAuthorizationClient {
  constructor(
    private readonly transport: WechatTransport,
    private readonly credentials: { appId: string; appSecret: string },
  ) {}

  async exchangeCode(code: string): Promise<WebAuthorizationGrant> {
    const api = WECHAT_OAUTH_PATHS.accessToken;
    const query = { appid: this.credentials.appId, secret: this.credentials.appSecret, code, grant_type: 'authorization_code' };
    const answer = parseWechatAnswer(grantAnswer, await this.send(api, query), api);
    // A visitor of a page shared to Moments, seen in WeChat's snapshot mode: the openid is a stand-in.
    if (answer.is_snapshotuser === 1) throw oauthError('WECHAT_OAUTH_SNAPSHOT_USER');
    const scopes = answer.scope.split(',');
    return {
      openid: answer.openid,
      unionid: answer.unionid ?? null,
      scope: scopes.includes('snsapi_userinfo') ? 'snsapi_userinfo' : 'snsapi_base',
      accessToken: answer.access_token,
    };
  }

  async fetchProfile(grant: WebAuthorizationGrant): Promise<WebAuthorizationProfile> {
    const api = WECHAT_OAUTH_PATHS.userInfo;
    const answer = parseWechatAnswer(profileAnswer, await this.send(api, { access_token: grant.accessToken, openid: grant.openid, lang: 'zh_CN' }), api);
    if (answer.openid !== grant.openid) throw new AppError(502, 'WECHAT_OAUTH_FAILED', 'WeChat answered with the profile of someone else');
    return { nickname: answer.nickname ?? '', headimgurl: answer.headimgurl || null, unionid: answer.unionid ?? null };
  }

  private async send(api: string, query: Record<string, string>): Promise<unknown> {
    try {
      return await sendWechatRequest({ ...this.transport, maxRetries: 0 }, { api, method: 'GET', query });
    } catch (error) {
      throw asOAuthError(error);
    }
  }
}

/** WeChat's answers in the words of web authorization: 48001 here means the account has no such permission. */
function asOAuthError(error: unknown): unknown {
  if (!isWechatApiError(error)) return error;
  if (error.code === 'WECHAT_OAUTH_CODE_INVALID') return error;
  if (error.errcode === 48001) return oauthError('WECHAT_OAUTH_NOT_PERMITTED');
  return new AppError(502, 'WECHAT_OAUTH_FAILED', `WeChat refused the web authorization (errcode ${error.errcode})`, { errcode: error.errcode, errmsg: error.errmsg });
}
