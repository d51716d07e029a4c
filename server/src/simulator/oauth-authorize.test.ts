import { WECHAT_OAUTH_PATHS } from '@wechat-login/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createInAppBrowser, MOBILE_SAFARI_USER_AGENT, startWechatSimulatorServer, WECHAT_IDENTITY_COOKIE, type RunningWechatSimulator } from './index.js';
import { startOAuthTestSite, type OAuthTestSite } from './oauth-test-site.js';

const APP_ID = 'wx0123456789abcdef';
const APP_SECRET = 'simulated-secret';

let running: RunningWechatSimulator;
let site: OAuthTestSite;

beforeEach(async () => {
  running = await startWechatSimulatorServer({ appId: APP_ID, appSecret: APP_SECRET, token: 'webhook-token', messageMode: 'plain', webhookUrl: 'http://127.0.0.1:9/unused' });
  site = await startOAuthTestSite({ baseUrl: () => running.url, appId: APP_ID, appSecret: APP_SECRET });
});

afterEach(async () => {
  await site.close();
  await running.close();
});

/** An authorization URL with the site's callback, each field replaceable (undefined leaves it out). */
function authorizeUrl(fields: Partial<Record<'appid' | 'redirect_uri' | 'response_type' | 'scope' | 'state', string | undefined>> = {}): string {
  const defaults = { appid: APP_ID, redirect_uri: `${site.url}/callback`, response_type: 'code', scope: 'snsapi_base', state: 'abc123' };
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries({ ...defaults, ...fields })) if (value !== undefined) query.set(name, value);
  return `${running.url}${WECHAT_OAUTH_PATHS.authorize}?${query.toString()}#wechat_redirect`;
}

const errcodeOf = (html: string): string | undefined => /data-errcode="(\d+)"/.exec(html)?.[1];

describe('GET /connect/oauth2/authorize: checks before anything', () => {
  it.each([
    ['appid missing', { appid: undefined }, '10012'],
    ['another appid', { appid: 'wx_someone_else' }, '10002'],
    ['redirect_uri missing', { redirect_uri: undefined }, '10011'],
    ['a relative redirect_uri', { redirect_uri: '/callback' }, '10003'],
    ['a javascript: redirect_uri', { redirect_uri: 'javascript:alert(1)' }, '10003'],
    ['response_type=token', { response_type: 'token' }, '10001'],
    ['scope missing', { scope: undefined }, '10010'],
    ['scope=snsapi_login (the website scope)', { scope: 'snsapi_login' }, '10005'],
    ['a state with "-"', { state: 'abc-123' }, '10013'],
    ['a state of 129 characters', { state: 'a'.repeat(129) }, '10013'],
  ])('%s: WeChat\'s error page (HTTP 200), no redirect, no code', async (_name, fields, errcode) => {
    const page = await running.simulator.phone.openInWechat('oKnownUser0000000000000000001', authorizeUrl(fields));
    expect(page.status).toBe(200);
    expect(errcodeOf(page.html)).toBe(errcode);
    expect(page.redirects).toEqual([]);
    expect(site.callbacks).toEqual([]);
    expect(running.simulator.stats.oauthCodesIssued).toBe(0);
  });

  it('a state of 128 letters and digits passes through untouched', async () => {
    const state = 'Ab9'.repeat(42) + 'xy';
    await running.simulator.phone.openInWechat('oKnownUser0000000000000000001', authorizeUrl({ state }));
    expect(site.callbacks[0]?.query.state).toBe(state);
  });

  it('outside WeChat (a phone\'s own browser) it asks to open the link in WeChat, even for a signed-in user', async () => {
    const safari = createInAppBrowser({ userAgent: MOBILE_SAFARI_USER_AGENT, openid: 'oKnownUser0000000000000000001', simulatorBaseUrl: () => running.url });
    running.simulator.phone.browser('oKnownUser0000000000000000001'); // the user exists
    const page = await safari.open(authorizeUrl());
    expect(page.status).toBe(200);
    expect(page.html).toContain('请在微信客户端打开链接');
    expect(page.redirects).toEqual([]);
    expect(site.callbacks).toEqual([]);
  });

  it('escapes a hostile redirect_uri on its pages and still hands it back exactly', async () => {
    const hostile = `${site.url}/callback?next="><script>alert(1)</script>&x=1`;
    const stranger = createInAppBrowser({ simulatorBaseUrl: () => running.url });
    const chooser = await stranger.open(authorizeUrl({ redirect_uri: hostile }));
    expect(chooser.html).not.toContain('<script>alert(1)');
    expect(chooser.html).toContain('&quot;&gt;&lt;script&gt;');
    await stranger.submitForm(chooser, { name: 'new_user', value: '1' });
    expect(site.callbacks[0]?.query).toMatchObject({ next: '"><script>alert(1)</script>', x: '1', state: 'abc123', code: expect.stringMatching(/^[0-9a-zA-Z]{32}$/) });
  });
});

describe('oauthRedirectDomains (网页授权域名)', () => {
  async function restartSimulatorWith(domains: string[]): Promise<void> {
    await running.close();
    running = await startWechatSimulatorServer({ appId: APP_ID, appSecret: APP_SECRET, token: 'webhook-token', messageMode: 'plain', webhookUrl: 'http://127.0.0.1:9/unused', oauthRedirectDomains: domains });
  }

  it('a redirect_uri on an unlisted host[:port] gets 10003 redirect_uri域名与后台配置不一致; the listed one goes through', async () => {
    const sitePort = new URL(site.url).port;
    // Without a port an entry means the default port: 127.0.0.1 does not cover 127.0.0.1:<sitePort>.
    await restartSimulatorWith(['app.example.com', '127.0.0.1']);
    const refused = await running.simulator.phone.openInWechat('oKnownUser0000000000000000001', authorizeUrl());
    expect(errcodeOf(refused.html)).toBe('10003');
    expect(refused.html).toContain('redirect_uri域名与后台配置不一致');
    expect(site.callbacks).toEqual([]);

    await restartSimulatorWith(['APP.example.com', `127.0.0.1:${sitePort}`]);
    await running.simulator.phone.openInWechat('oKnownUser0000000000000000001', authorizeUrl());
    expect(site.callbacks).toHaveLength(1);
  });

  it('refuses to start with an entry that is not host[:port]', async () => {
    await expect(restartSimulatorWith(['https://app.example.com/'])).rejects.toThrow(/oauthRedirectDomains/);
    running = await startWechatSimulatorServer({ appId: APP_ID, appSecret: APP_SECRET, token: 't', messageMode: 'plain', webhookUrl: 'http://127.0.0.1:9/x' });
  });
});

describe('who is the WeChat user', () => {
  it('asks someone it does not know, remembers the choice in an HttpOnly Lax cookie, then authorizes silently (snsapi_base)', async () => {
    const known = running.simulator.phone.browser('oKnownUser0000000000000000001');
    expect(known).toBeDefined();
    const stranger = createInAppBrowser({ simulatorBaseUrl: () => running.url });
    const chooser = await stranger.open(`${site.url}/start?scope=snsapi_base&state=first`);
    expect(chooser.html).toContain('data-testid="oauth-choose-user"');
    expect(chooser.html).toContain('oKnownUser');
    expect(site.callbacks).toEqual([]);

    const chosen = await stranger.submitForm(chooser, { name: 'openid', value: 'oKnownUser0000000000000000001' });
    expect(chosen.html).toContain('data-outcome="signed-in"');
    expect(chosen.html).toContain('data-openid="oKnownUser0000000000000000001"');
    expect(site.callbacks[0]?.query).toEqual({ code: expect.stringMatching(/^[0-9a-zA-Z]{32}$/), state: 'first' });
    // The site's own state cookie came back through WeChat's redirects.
    expect(site.callbacks[0]?.cookie).toContain('site_state=first');
    const identity = stranger.cookies.all().find((cookie) => cookie.name === WECHAT_IDENTITY_COOKIE);
    expect(identity).toMatchObject({ value: 'oKnownUser0000000000000000001', httpOnly: true, sameSite: 'lax', path: '/' });

    const again = await stranger.open(`${site.url}/start?scope=snsapi_base&state=second`);
    expect(again.html).toContain('data-outcome="signed-in"');
    expect(again.redirects.map((url) => new URL(url).pathname)).toEqual(['/start', WECHAT_OAUTH_PATHS.authorize]);
    expect(site.callbacks[1]?.query.state).toBe('second');
  });

  it('"a new WeChat user" makes one up; a forged openid in the form is refused', async () => {
    const stranger = createInAppBrowser({ simulatorBaseUrl: () => running.url });
    const chooser = await stranger.open(authorizeUrl());
    const before = running.simulator.state.users.size;
    await stranger.submitForm(chooser, { name: 'new_user', value: '1' });
    expect(running.simulator.state.users.size).toBe(before + 1);
    const forged = await fetch(`${running.url}${WECHAT_OAUTH_PATHS.authorize}/choose`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ openid: '"><img src=x>' }),
      redirect: 'manual',
    });
    expect(forged.status).toBe(400);
    expect(forged.headers.get('set-cookie')).toBeNull();
  });

  it('a cookie naming an openid the simulator never saw is a new WeChat user, as real WeChat always knows its user', async () => {
    const ghost = createInAppBrowser({ openid: 'oNeverSeen', simulatorBaseUrl: () => running.url });
    const page = await ghost.open(authorizeUrl());
    expect(page.html).not.toContain('data-testid="oauth-choose-user"');
    expect(running.simulator.state.users.get('oNeverSeen')).toMatchObject({ openid: 'oNeverSeen', subscribed: false });
  });
});

describe('snsapi_userinfo consent', () => {
  it('asks for nickname and avatar; 允许 sends a code, the exchange gives a userinfo token', async () => {
    const browser = running.simulator.phone.browser('oConsentingUser00000000000001');
    const consent = await browser.open(`${site.url}/start?scope=snsapi_userinfo&state=s1`);
    expect(consent.html).toContain('data-testid="oauth-consent"');
    expect(consent.html).toContain('获得你的公开信息（昵称、头像等）');
    expect(consent.html).toContain(`${WECHAT_OAUTH_PATHS.authorize}/choose?`); // switch user
    expect(site.callbacks).toEqual([]);
    const allowed = await browser.submitForm(consent, { name: 'decision', value: 'allow' });
    expect(allowed.html).toContain('data-outcome="signed-in"');
    expect(site.callbacks[0]?.exchange).toMatchObject({ scope: 'snsapi_userinfo', openid: 'oConsentingUser00000000000001' });
    expect(site.callbacks[0]?.userInfo).toMatchObject({ openid: 'oConsentingUser00000000000001', nickname: expect.any(String) });
  });

  it('拒绝 goes back with state only, as WeChat tells a site "no"', async () => {
    const browser = running.simulator.phone.browser('oRefusingUser0000000000000001');
    const consent = await browser.open(`${site.url}/start?scope=snsapi_userinfo&state=s2`);
    const refused = await browser.submitForm(consent, { name: 'decision', value: 'deny' });
    expect(refused.html).toContain('data-outcome="refused"');
    expect(site.callbacks[0]?.query).toEqual({ state: 's2' });
    expect(running.simulator.stats.oauthCodesIssued).toBe(0);
  });

  it('a consent posted without the identity cookie (cross-site, cleared) starts over instead of granting', async () => {
    const answer = await fetch(`${running.url}${WECHAT_OAUTH_PATHS.authorize}/consent`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': running.simulator.phone.browser('oAnyone').userAgent },
      body: new URLSearchParams({ appid: APP_ID, redirect_uri: `${site.url}/callback`, response_type: 'code', scope: 'snsapi_userinfo', state: 's', decision: 'allow' }),
      redirect: 'manual',
    });
    expect(answer.status).toBe(303);
    expect(answer.headers.get('location')).toContain(WECHAT_OAUTH_PATHS.authorize);
    expect(running.simulator.stats.oauthCodesIssued).toBe(0);
  });

  it('keeps redirect_uri\'s own query and drops its fragment', async () => {
    const browser = running.simulator.phone.browser('oQueryUser000000000000000001');
    await browser.open(authorizeUrl({ redirect_uri: `${site.url}/callback?from=menu&lang=en#top` }));
    expect(site.callbacks[0]?.query).toEqual({ from: 'menu', lang: 'en', code: expect.any(String), state: 'abc123' });
  });
});

describe('snapshot-page mode (朋友圈快照页)', () => {
  it('the next authorization issues a snapshot code without asking: is_snapshotuser=1, a virtual openid, base scope', async () => {
    running.simulator.faults.failNextOAuth('snapshot-user');
    const browser = running.simulator.phone.browser('oRealUser00000000000000000001');
    const page = await browser.open(`${site.url}/start?scope=snsapi_userinfo&state=snap`);
    expect(page.html).not.toContain('oauth-consent');
    const exchange = site.callbacks[0]?.exchange;
    expect(exchange).toMatchObject({ is_snapshotuser: 1, scope: 'snsapi_base' });
    expect(exchange?.openid).toEqual(expect.stringMatching(/^o[A-Za-z0-9_-]{27}$/));
    expect(exchange?.openid).not.toBe('oRealUser00000000000000000001');
    expect(exchange).not.toHaveProperty('unionid');

    // Once only: the next one is the real user again.
    await browser.open(`${site.url}/start?scope=snsapi_base&state=real`);
    expect(site.callbacks[1]?.exchange).toMatchObject({ openid: 'oRealUser00000000000000000001' });
    expect(site.callbacks[1]?.exchange).not.toHaveProperty('is_snapshotuser');
  });
});
