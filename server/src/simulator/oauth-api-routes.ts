import { Router, type Request, type Response } from 'express';
import { WECHAT_OAUTH_PATHS } from '@wechat-login/shared';
import { countCall, queryValue } from './api-request.js';
import { headImgUrl } from './avatar-route.js';
import type { SimulatorFaultControls } from './faults.js';
import type { OAuthCodeRegistry } from './oauth-codes.js';
import { WEB_ACCESS_TOKEN_TTL_SECONDS, type WebAccessToken, type WebAccessTokenRegistry } from './oauth-web-tokens.js';
import type { ResolvedSimulatorOptions } from './options.js';
import type { SimulatorStats } from './stats.js';
import type { SimulatedUser, UserDirectory } from './users.js';
import { wechatErrorBody, type WechatErrorBody } from './wechat-error-bodies.js';

/** GET /sns/oauth2/access_token (a code for a user's token) and GET /sns/userinfo (the user's profile). */

export interface OAuthApiRouteDeps {
  options: ResolvedSimulatorOptions;
  users: UserDirectory;
  codes: OAuthCodeRegistry;
  webTokens: WebAccessTokenRegistry;
  stats: SimulatorStats;
  faults: SimulatorFaultControls;
}

const USERINFO_LANGUAGES: ReadonlySet<string> = new Set(['zh_CN', 'zh_TW', 'en']);

/** The refusal WeChat gives for the app's credentials in an exchange, or null when they are ours. */
function exchangeCredentialRefusal(req: Request, options: ResolvedSimulatorOptions): WechatErrorBody | null {
  const appId = queryValue(req, 'appid');
  const secret = queryValue(req, 'secret');
  if (!appId) return wechatErrorBody(41002);
  if (appId !== options.appId) return wechatErrorBody(40013);
  if (!secret) return wechatErrorBody(41004);
  if (secret !== options.appSecret) return wechatErrorBody(40125);
  if (queryValue(req, 'grant_type') !== 'authorization_code') return wechatErrorBody(40002);
  return null;
}

/** What the exchange answers. unionid only for snsapi_userinfo, as WeChat documents it. */
function accessTokenBody(token: WebAccessToken, unionid: string | null): Record<string, unknown> {
  return {
    access_token: token.accessToken,
    expires_in: WEB_ACCESS_TOKEN_TTL_SECONDS,
    refresh_token: token.refreshToken,
    openid: token.openid,
    scope: token.scope,
    ...(token.isSnapshotUser ? { is_snapshotuser: 1 } : {}),
    ...(unionid !== null && token.scope === 'snsapi_userinfo' ? { unionid } : {}),
  };
}

/** Whose profile /sns/userinfo may give, or WeChat's errcode for why not. */
function userInfoSubject(req: Request, webTokens: WebAccessTokenRegistry, users: UserDirectory): { user: SimulatedUser } | { errcode: number } {
  const accessToken = queryValue(req, 'access_token');
  const openid = queryValue(req, 'openid');
  const lang = queryValue(req, 'lang');
  if (!accessToken) return { errcode: 41001 };
  const token = webTokens.find(accessToken);
  if (!token) return { errcode: 40001 };
  if (!openid) return { errcode: 41009 };
  if (openid !== token.openid) return { errcode: 40003 };
  // snsapi_base (and every snapshot-page token) proves who is looking, not that they shared a profile.
  if (token.scope !== 'snsapi_userinfo') return { errcode: 48001 };
  if (lang !== undefined && !USERINFO_LANGUAGES.has(lang)) return { errcode: 40097 };
  const user = users.byOpenid.get(openid);
  return user ? { user } : { errcode: 40003 };
}

export function oauthApiRoutes({ options, users, codes, webTokens, stats, faults }: OAuthApiRouteDeps): Router {
  const router = Router();

  router.get(
    WECHAT_OAUTH_PATHS.accessToken,
    faults.connectionFaults,
    countCall(stats, 'oauthCodeExchanges'),
    faults.oauthExchangeFaults,
    faults.injectedErrors,
    (req: Request, res: Response) => {
      const refusal = exchangeCredentialRefusal(req, options);
      if (refusal) {
        res.json(refusal);
        return;
      }
      const code = queryValue(req, 'code');
      if (!code) {
        res.json(wechatErrorBody(41008));
        return;
      }
      const redemption = codes.redeem(code, options.appId);
      if ('errcode' in redemption) {
        res.json(wechatErrorBody(redemption.errcode));
        return;
      }
      const token = webTokens.issue(redemption.grant);
      const unionid = redemption.grant.isSnapshotUser ? null : (users.byOpenid.get(token.openid)?.unionid ?? null);
      res.json(accessTokenBody(token, unionid));
    },
  );

  router.get(
    WECHAT_OAUTH_PATHS.userInfo,
    faults.connectionFaults,
    countCall(stats, 'oauthUserInfoCalls'),
    faults.oauthUserInfoFaults,
    faults.injectedErrors,
    (req: Request, res: Response) => {
      const found = userInfoSubject(req, webTokens, users);
      if ('errcode' in found) {
        res.json(wechatErrorBody(found.errcode));
        return;
      }
      const { user } = found;
      res.json({
        openid: user.openid,
        nickname: user.nickname,
        // WeChat stopped sharing sex and region in 2021: 0 and empty strings for everyone.
        sex: 0,
        province: '',
        city: '',
        country: '',
        headimgurl: headImgUrl(options.publicBaseUrl(), user.openid),
        privilege: [],
        ...(user.unionid === null ? {} : { unionid: user.unionid }),
      });
    },
  );

  return router;
}
