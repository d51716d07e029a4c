import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { WECHAT_OAUTH_PATHS } from '@wechat-login/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { escapeHtml } from './html.js';
import { startWechatSimulatorServer, type RunningWechatSimulator } from './index.js';

const APP_ID = 'wx0123456789abcdef';
const APP_SECRET = 'simulated-secret';
const RECIPIENT = 'oRecipient0000000000000000001';

let running: RunningWechatSimulator;
let server: Server;
let siteUrl: string;

/**
 * A confirmation page of the kind our server is moving to: it learns who opened it through a
 * silent snsapi_base authorization (kept in a cookie), and only the intended person may answer.
 */
function confirmationSite(): express.Express {
  const app = express();
  app.get('/confirm/:id', (req, res) => {
    const opener = /(?:^|; )site_openid=([A-Za-z0-9_-]+)/.exec(req.headers.cookie ?? '')?.[1];
    if (!opener) {
      const query = new URLSearchParams({ appid: APP_ID, redirect_uri: `${siteUrl}/callback`, response_type: 'code', scope: 'snsapi_base', state: String(req.params.id) });
      res.redirect(302, `${running.url}${WECHAT_OAUTH_PATHS.authorize}?${query.toString()}#wechat_redirect`);
      return;
    }
    if (opener !== RECIPIENT) {
      res.type('html').send('<p data-outcome="not-yours">This link was sent to someone else.</p>');
      return;
    }
    const form = (decision: string) => `<form method="post" action="/confirm/${escapeHtml(String(req.params.id))}"><input type="hidden" name="decision" value="${decision}"><button>${decision}</button></form>`;
    res.type('html').send(`${form('confirm')}${form('deny')}`);
  });
  app.post('/confirm/:id', express.urlencoded({ extended: false }), (req, res) => {
    const decision = (req.body as Record<string, string>).decision;
    res.type('html').send(`<p data-outcome="${decision === 'confirm' ? 'confirmed' : 'denied'}">done</p>`);
  });
  app.get('/callback', async (req, res) => {
    const code = typeof req.query.code === 'string' ? req.query.code : '';
    const query = new URLSearchParams({ appid: APP_ID, secret: APP_SECRET, code, grant_type: 'authorization_code' });
    const answer = (await (await fetch(`${running.url}${WECHAT_OAUTH_PATHS.accessToken}?${query.toString()}`)).json()) as { openid?: string };
    res.cookie('site_openid', answer.openid ?? '', { httpOnly: true, sameSite: 'lax', path: '/' });
    res.redirect(302, `/confirm/${String(req.query.state)}`);
  });
  return app;
}

beforeEach(async () => {
  running = await startWechatSimulatorServer({ appId: APP_ID, appSecret: APP_SECRET, token: 't', messageMode: 'plain', webhookUrl: 'http://127.0.0.1:9/unused' });
  server = createServer(confirmationSite());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  siteUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await running.close();
});

/** The passive reply the account sent after a scan: a text with the confirmation link, to its recipient. */
const replyTo = (openid: string, sceneId: string) => ({
  ToUserName: openid,
  FromUserName: 'gh_simulator00',
  MsgType: 'text',
  Content: `请确认登录：<a href="${siteUrl}/confirm/${sceneId}">确认</a>`,
});

describe('SimulatedPhone and web authorization', () => {
  it('answerConfirmation opens the link in the recipient\'s WeChat: the page learns who it is silently, and the answer goes through', async () => {
    const answer = await running.simulator.phone.answerConfirmation(replyTo(RECIPIENT, 'scene1'), 'confirm');
    expect(answer).toMatchObject({ status: 200, outcome: 'confirmed' });
    expect(running.simulator.stats).toMatchObject({ oauthAuthorizePages: 1, oauthCodesIssued: 1, oauthCodeExchanges: 1 });
  });

  it('asOpenid: a forwarded link opened by someone else is answered as them (here: not-yours, with no question asked)', async () => {
    const answer = await running.simulator.phone.answerConfirmation(replyTo(RECIPIENT, 'scene2'), 'confirm', { asOpenid: 'oForwardedTo000000000000000001' });
    expect(answer).toMatchObject({ status: 200, outcome: 'not-yours' });
    expect(running.simulator.state.users.has('oForwardedTo000000000000000001')).toBe(true);
  });

  it('a phone keeps its browser: the second link finds the site\'s cookie and needs no authorization', async () => {
    await running.simulator.phone.answerConfirmation(replyTo(RECIPIENT, 'scene3'), 'deny');
    const second = await running.simulator.phone.answerConfirmation(replyTo(RECIPIENT, 'scene4'), 'confirm');
    expect(second.outcome).toBe('confirmed');
    expect(running.simulator.stats.oauthAuthorizePages).toBe(1);
    // Another user's phone is another browser, with no cookie of the site.
    expect(running.simulator.phone.browser('oOtherPhone00000000000000001').cookies.all().some((cookie) => cookie.name === 'site_openid')).toBe(false);
  });

  it('openInWechat shows the page as that user\'s WeChat does; a reply without a link or recipient is an error, not a silent pass', async () => {
    const page = await running.simulator.phone.openInWechat(RECIPIENT, `${siteUrl}/confirm/scene5`);
    expect(page.html).toContain('name="decision" value="confirm"');
    expect(page.redirects.map((url) => new URL(url).pathname)).toEqual(['/confirm/scene5', WECHAT_OAUTH_PATHS.authorize, '/callback']);
    await expect(running.simulator.phone.answerConfirmation({ ToUserName: RECIPIENT, Content: 'no link' }, 'confirm')).rejects.toMatchObject({ code: 'WECHAT_SIMULATOR_NO_LINK' });
    await expect(running.simulator.phone.answerConfirmation({ Content: `<a href="${siteUrl}/confirm/x">x</a>` }, 'confirm')).rejects.toMatchObject({ code: 'WECHAT_SIMULATOR_NO_RECIPIENT' });
  });
});
