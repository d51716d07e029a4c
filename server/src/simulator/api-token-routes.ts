import { Router, type Request, type Response } from 'express';
import type { AccessTokenRegistry, IssuedToken } from './access-tokens.js';
import { countCall, jsonObjectBody, queryValue, readBodyText } from './api-request.js';
import type { SimulatorFaultControls } from './faults.js';
import type { ResolvedSimulatorOptions } from './options.js';
import type { SimulatorStats } from './stats.js';
import { wechatErrorBody, type WechatErrorBody } from './wechat-error-bodies.js';

/** GET /cgi-bin/token and POST /cgi-bin/stable_token. */

export interface TokenRouteDeps {
  options: ResolvedSimulatorOptions;
  tokens: AccessTokenRegistry;
  stats: SimulatorStats;
  faults: SimulatorFaultControls;
}

interface Credentials {
  grantType: unknown;
  appId: unknown;
  secret: unknown;
}

/** The refusal WeChat gives for these credentials, or null when they are ours. */
function credentialRefusal({ grantType, appId, secret }: Credentials, options: ResolvedSimulatorOptions): WechatErrorBody | null {
  if (grantType !== 'client_credential') return wechatErrorBody(40002);
  if (typeof appId !== 'string' || appId === '') return wechatErrorBody(41002);
  if (typeof secret !== 'string' || secret === '') return wechatErrorBody(41004);
  if (appId !== options.appId) return wechatErrorBody(40013);
  if (secret !== options.appSecret) return wechatErrorBody(40125);
  return null;
}

function sendToken(res: Response, issued: IssuedToken): void {
  res.json({ access_token: issued.accessToken, expires_in: issued.expiresInSeconds });
}

export function tokenRoutes({ options, tokens, stats, faults }: TokenRouteDeps): Router {
  const router = Router();

  router.get('/token', countCall(stats, 'tokenFetches'), faults.injectedErrors, (req: Request, res: Response) => {
    const refusal = credentialRefusal(
      { grantType: queryValue(req, 'grant_type'), appId: queryValue(req, 'appid'), secret: queryValue(req, 'secret') },
      options,
    );
    if (refusal) res.json(refusal);
    else sendToken(res, tokens.issueToken());
  });

  router.post('/stable_token', countCall(stats, 'stableTokenFetches'), faults.injectedErrors, readBodyText, (req: Request, res: Response) => {
    const body = jsonObjectBody(req);
    if (!body) {
      res.json(wechatErrorBody(47001));
      return;
    }
    const refusal = credentialRefusal({ grantType: body.grant_type, appId: body.appid, secret: body.secret }, options);
    if (refusal) res.json(refusal);
    else sendToken(res, tokens.issueStableToken(body.force_refresh === true));
  });

  return router;
}
