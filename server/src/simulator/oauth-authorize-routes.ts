import express, { Router, type Request, type Response } from 'express';
import { isWechatBrowser, WECHAT_OAUTH_PATHS } from '@wechat-login/shared';
import { headImgUrl } from './avatar-route.js';
import type { SimulatorFaultControls } from './faults.js';
import { sendHtmlPage } from './html.js';
import {
  AUTHORIZE_FIELDS,
  authorizeQueryString,
  callbackUrl,
  readAuthorizeRequest,
  type AuthorizeFields,
  type AuthorizeRequest,
} from './oauth-authorize-request.js';
import type { OAuthCodeRegistry } from './oauth-codes.js';
import { authorizeErrorPageHtml, chooseUserPageHtml, consentPageHtml, openInWechatPageHtml } from './oauth-pages.js';
import type { ResolvedSimulatorOptions } from './options.js';
import type { SimulatorStats } from './stats.js';
import { OPENID_PATTERN, randomNewUserSeed, randomWechatId, type SimulatedUser, type UserDirectory } from './users.js';
import { readIdentityCookie, setIdentityCookie } from './wechat-identity-cookie.js';

/**
 * The simulated open.weixin.qq.com/connect/oauth2/authorize: GET the authorization itself,
 * GET/POST …/choose (who you are in WeChat), POST …/consent (snsapi_userinfo's allow / refuse).
 */

export interface AuthorizeRouteDeps {
  options: ResolvedSimulatorOptions;
  users: UserDirectory;
  codes: OAuthCodeRegistry;
  stats: SimulatorStats;
  faults: SimulatorFaultControls;
}

const AUTHORIZE_PATH = WECHAT_OAUTH_PATHS.authorize;
const CHOOSE_PATH = `${AUTHORIZE_PATH}/choose`;
const CONSENT_PATH = `${AUTHORIZE_PATH}/consent`;
const RECENT_USERS_SHOWN = 5;
const MAX_FIELD_LENGTH = 4096;
const readForm = express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 20 });

/** The authorization fields of a query or form body; anything but a bounded string is left out. */
function authorizeFieldsOf(source: unknown): AuthorizeFields {
  const record = (typeof source === 'object' && source !== null ? source : {}) as Record<string, unknown>;
  const fields: AuthorizeFields = {};
  for (const name of AUTHORIZE_FIELDS) {
    const value = record[name];
    if (typeof value === 'string' && value.length <= MAX_FIELD_LENGTH) fields[name] = value;
  }
  return fields;
}

function formField(req: Request, name: string): string | undefined {
  const value: unknown = (req.body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : undefined;
}

export function authorizeRoutes({ options, users, codes, stats, faults }: AuthorizeRouteDeps): Router {
  const router = Router();
  const rules = { appId: options.appId, redirectDomains: options.oauthRedirectDomains };
  // Whoever the cookie names is signed in to WeChat, as real WeChat always knows its user: one the
  // simulator has not met yet (a test's new phone, a cookie from before a restart) is a new user.
  const signedInUser = (req: Request): SimulatedUser | undefined => {
    const openid = readIdentityCookie(req);
    return openid === undefined ? undefined : users.remember({ openid, subscribed: false });
  };
  const sendPage = (res: Response, title: string, html: string, request?: AuthorizeRequest): void =>
    sendHtmlPage(res, 200, title, html, '', { lang: 'zh-CN', ...(request ? { formActionOrigins: [request.redirectUri.origin] } : {}) });

  /**
   * The browser goes back to redirect_uri with a code. In snapshot mode (朋友圈快照页) WeChat gives
   * the page a virtual user who consented to nothing, and asks nobody.
   */
  function redirectWithCode(res: Response, request: AuthorizeRequest, openid: string, isSnapshotUser: boolean): void {
    const code = codes.issue({
      appId: request.appId,
      openid: isSnapshotUser ? randomWechatId() : openid,
      scope: isSnapshotUser ? 'snsapi_base' : request.scope,
      isSnapshotUser,
    });
    stats.oauthCodesIssued += 1;
    res.redirect(302, callbackUrl(request, code));
  }

  function sendChooser(req: Request, res: Response, fields: AuthorizeFields, request?: AuthorizeRequest): void {
    const page = { recentUsers: users.recent(RECENT_USERS_SHOWN), currentOpenid: readIdentityCookie(req), fields, chooseAction: `${req.baseUrl}${CHOOSE_PATH}` };
    sendPage(res, '微信登录', chooseUserPageHtml(page), request);
  }

  /** Reads and checks the request; on a problem answers with WeChat's page and returns undefined. */
  function checkedRequest(req: Request, res: Response, fields: AuthorizeFields): AuthorizeRequest | undefined {
    if (!isWechatBrowser(req.get('user-agent'))) {
      sendPage(res, '微信', openInWechatPageHtml(`${req.baseUrl}/`));
      return undefined;
    }
    const reading = readAuthorizeRequest(fields, rules);
    if ('refusal' in reading) {
      sendPage(res, '微信', authorizeErrorPageHtml(reading.refusal));
      return undefined;
    }
    return reading.request;
  }

  router.get(AUTHORIZE_PATH, (req: Request, res: Response) => {
    stats.oauthAuthorizePages += 1;
    const fields = authorizeFieldsOf(req.query);
    const request = checkedRequest(req, res, fields);
    if (!request) return;
    const user = signedInUser(req);
    if (!user) {
      sendChooser(req, res, fields, request);
      return;
    }
    const isSnapshotUser = faults.takeSnapshotUserFault();
    if (request.scope === 'snsapi_base' || isSnapshotUser) redirectWithCode(res, request, user.openid, isSnapshotUser);
    else {
      const consent = {
        user,
        request,
        fields,
        consentAction: `${req.baseUrl}${CONSENT_PATH}`,
        switchUserHref: `${req.baseUrl}${CHOOSE_PATH}?${authorizeQueryString(fields)}`,
        avatarUrl: headImgUrl(req.baseUrl, user.openid),
      };
      sendPage(res, '微信授权', consentPageHtml(consent), request);
    }
  });

  router.get(CHOOSE_PATH, (req: Request, res: Response) => {
    const fields = authorizeFieldsOf(req.query);
    const reading = readAuthorizeRequest(fields, rules);
    sendChooser(req, res, fields, 'request' in reading ? reading.request : undefined);
  });

  router.post(CHOOSE_PATH, readForm, (req: Request, res: Response) => {
    const chosen = formField(req, 'openid');
    if (formField(req, 'new_user') === '1') setIdentityCookie(req, res, users.remember(randomNewUserSeed()).openid);
    else if (chosen !== undefined && OPENID_PATTERN.test(chosen)) setIdentityCookie(req, res, users.remember({ openid: chosen, subscribed: false }).openid);
    else {
      sendHtmlPage(res, 400, '微信', authorizeErrorPageHtml({ errcode: 40003, message: 'invalid openid', hint: 'Choose a listed user or a new one.' }), '', { lang: 'zh-CN' });
      return;
    }
    // Back to the authorization it interrupted, or to the phone page it was opened from.
    const fields = authorizeFieldsOf(req.body);
    res.redirect(303, fields.appid === undefined ? `${req.baseUrl}/` : `${req.baseUrl}${AUTHORIZE_PATH}?${authorizeQueryString(fields)}`);
  });

  router.post(CONSENT_PATH, readForm, (req: Request, res: Response) => {
    const fields = authorizeFieldsOf(req.body);
    const request = checkedRequest(req, res, fields);
    if (!request) return;
    const user = signedInUser(req);
    const decision = formField(req, 'decision');
    // Without the identity cookie (a cross-site post, a cleared jar) the question starts again.
    if (!user || request.scope !== 'snsapi_userinfo' || (decision !== 'allow' && decision !== 'deny')) {
      res.redirect(303, `${req.baseUrl}${AUTHORIZE_PATH}?${authorizeQueryString(fields)}`);
      return;
    }
    // A refusal goes back with state only: that is how WeChat tells the site "no".
    if (decision === 'deny') res.redirect(302, callbackUrl(request, null));
    else redirectWithCode(res, request, user.openid, faults.takeSnapshotUserFault());
  });

  return router;
}
