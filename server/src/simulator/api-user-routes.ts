import { Router, type Request, type Response } from 'express';
import type { AccessTokenRegistry } from './access-tokens.js';
import { countCall, queryValue, requireAccessToken } from './api-request.js';
import type { SimulatorFaultControls } from './faults.js';
import type { SimulatorStats } from './stats.js';
import type { SimulatedUser, UserDirectory } from './users.js';
import { wechatErrorBody } from './wechat-error-bodies.js';

/** GET /cgi-bin/user/info. */

export interface UserRouteDeps {
  tokens: AccessTokenRegistry;
  users: UserDirectory;
  stats: SimulatorStats;
  faults: SimulatorFaultControls;
}

/**
 * What WeChat returns since 2021-12-27: no nickname or avatar any more (empty strings), and for
 * someone who does not follow the account only subscribe=0, openid and unionid.
 */
export function userInfoBody(user: SimulatedUser): Record<string, unknown> {
  const unionid = user.unionid === null ? {} : { unionid: user.unionid };
  if (!user.subscribed) return { subscribe: 0, openid: user.openid, ...unionid };
  return {
    subscribe: 1,
    openid: user.openid,
    nickname: '',
    headimgurl: '',
    language: user.language,
    subscribe_time: user.subscribeTimeSeconds,
    ...unionid,
    remark: '',
    groupid: 0,
    tagid_list: [],
    subscribe_scene: user.subscribeScene,
    qr_scene: 0,
    qr_scene_str: user.qrSceneStr,
  };
}

export function userRoutes({ tokens, users, stats, faults }: UserRouteDeps): Router {
  const router = Router();

  router.get('/user/info', countCall(stats, 'userInfoCalls'), faults.injectedErrors, requireAccessToken(tokens), (req: Request, res: Response) => {
    const openid = queryValue(req, 'openid');
    if (!openid) {
      res.json(wechatErrorBody(41009));
      return;
    }
    const user = users.byOpenid.get(openid);
    res.json(user ? userInfoBody(user) : wechatErrorBody(40003));
  });

  return router;
}
