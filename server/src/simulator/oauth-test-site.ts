import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { WECHAT_OAUTH_PATHS } from '@wechat-login/shared';
import { escapeHtml } from './html.js';

/**
 * A tiny website for tests of the simulator's web authorization: /start sends the browser to
 * WeChat's authorization page (and leaves a state cookie, as a real site would), /callback
 * records what came back and exchanges the code server-side. (Tests of our own server use the
 * real app instead.)
 */

export interface CallbackVisit {
  query: Readonly<Record<string, string>>;
  /** The Cookie header the browser sent with the callback. */
  cookie: string;
  /** What /sns/oauth2/access_token answered, when there was a code. */
  exchange: Record<string, unknown> | null;
  /** What /sns/userinfo answered, when the exchange gave a snsapi_userinfo token. */
  userInfo: Record<string, unknown> | null;
}

export interface OAuthTestSite {
  url: string;
  callbacks: CallbackVisit[];
  /** The authorization URL /start redirects to, as a server builds it. */
  authorizeUrl(scope: string, state: string): string;
  close(): Promise<void>;
}

export async function startOAuthTestSite(wechat: { baseUrl: () => string; appId: string; appSecret: string }): Promise<OAuthTestSite> {
  const callbacks: CallbackVisit[] = [];
  let url = '';
  const authorizeUrl = (scope: string, state: string): string => {
    const query = new URLSearchParams({ appid: wechat.appId, redirect_uri: `${url}/callback`, response_type: 'code', scope, state });
    return `${wechat.baseUrl()}${WECHAT_OAUTH_PATHS.authorize}?${query.toString()}#wechat_redirect`;
  };
  const getJson = async (target: string): Promise<Record<string, unknown>> => (await (await fetch(target)).json()) as Record<string, unknown>;

  const app = express();
  app.get('/start', (req, res) => {
    const scope = typeof req.query.scope === 'string' ? req.query.scope : 'snsapi_base';
    const state = typeof req.query.state === 'string' ? req.query.state : 'state1';
    res.cookie('site_state', state, { httpOnly: true, sameSite: 'lax', path: '/' });
    res.redirect(302, authorizeUrl(scope, state));
  });
  app.get('/callback', async (req, res) => {
    const query = Object.fromEntries(new URL(req.url, 'http://site.test').searchParams);
    const visit: CallbackVisit = { query, cookie: req.headers.cookie ?? '', exchange: null, userInfo: null };
    callbacks.push(visit);
    if (query.code !== undefined) {
      const exchangeQuery = new URLSearchParams({ appid: wechat.appId, secret: wechat.appSecret, code: query.code, grant_type: 'authorization_code' });
      visit.exchange = await getJson(`${wechat.baseUrl()}${WECHAT_OAUTH_PATHS.accessToken}?${exchangeQuery.toString()}`);
      if (visit.exchange.scope === 'snsapi_userinfo') {
        const userInfoQuery = new URLSearchParams({ access_token: String(visit.exchange.access_token), openid: String(visit.exchange.openid), lang: 'zh_CN' });
        visit.userInfo = await getJson(`${wechat.baseUrl()}${WECHAT_OAUTH_PATHS.userInfo}?${userInfoQuery.toString()}`);
      }
    }
    const openid = typeof visit.exchange?.openid === 'string' ? visit.exchange.openid : '';
    res.type('html').send(`<p data-outcome="${query.code === undefined ? 'refused' : 'signed-in'}" data-openid="${escapeHtml(openid)}">callback</p>`);
  });

  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    callbacks,
    authorizeUrl,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
