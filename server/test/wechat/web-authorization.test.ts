import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWechatHarness, newWechatUser, signInByWechat, type WechatHarness } from '../support/wechat-harness.js';
import { errorOf, wechatPhone } from '../support/wechat-web-authorization.js';
import { auditEvents } from '../audit/audit-support.js';
import { signUpByEmail } from '../support/http.js';
import { OAUTH_STATE_COLLECTION } from '../../src/wechat/oauth/oauth-states.js';
import { createInAppBrowser } from '../../src/simulator/in-app-browser.js';
import { capturedLog } from '../support/captured-log.js';

/**
 * Web authorization (网页授权) inside WeChat, end to end: our endpoints, the simulated WeChat
 * authorization page and sns API, the real database. Each test is a person with a phone.
 */
describe('sign-in by web authorization inside WeChat', () => {
  let harness: WechatHarness;

  beforeAll(async () => {
    harness = await startWechatHarness();
  });
  afterAll(async () => {
    await harness.close();
  });

  function path(url: string): string {
    const parsed = new URL(url);
    return `${parsed.pathname}${parsed.search}`;
  }

  it('signs a new person in after one consent, with their WeChat nickname and a copy of their avatar, and sends them to the new-user page', async () => {
    const { openid } = newWechatUser();
    const phone = wechatPhone(harness, openid);
    const consent = await phone.startSignIn({ callbackURL: '/account', newUserCallbackURL: '/welcome?redirect=%2Faccount' });
    // auto: silent first; a new person is asked once for their profile.
    expect(consent.html).toContain('name="decision"');
    const done = await phone.browser.submitForm(consent, { name: 'decision', value: 'allow' });
    expect(path(done.url)).toBe('/welcome?redirect=%2Faccount');

    const user = await phone.sessionUser();
    const simulated = harness.simulator.state.users.get(openid)!;
    expect(user?.name).toBe(simulated.nickname);
    expect(user?.image).toMatch(new RegExp(`^${harness.baseUrl}/api/v1/pub/avatars/[0-9a-f]{24}$`));
    const avatar = await fetch(user!.image!);
    expect(avatar.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await avatar.arrayBuffer()).subarray(1, 4).toString()).toBe('PNG');

    const [event] = await auditEvents(harness.runtime, { type: 'sign-in.succeeded', userId: user!.id });
    expect(event?.details).toMatchObject({ method: 'wechat-oauth', isNewUser: true, profileFilled: true, openid });
  });

  it('signs a returning person in silently: no consent screen the second time', async () => {
    const { openid } = newWechatUser();
    const phone = wechatPhone(harness, openid);
    const consent = await phone.startSignIn();
    await phone.browser.submitForm(consent, { name: 'decision', value: 'allow' });
    const firstUser = await phone.sessionUser();
    await phone.post('/api/auth/sign-out', {});
    expect(await phone.sessionUser()).toBeNull();

    const again = await phone.startSignIn({ callbackURL: '/account', newUserCallbackURL: '/welcome' });
    expect(path(again.url)).toBe('/account');
    expect(again.html).not.toContain('name="decision"');
    expect((await phone.sessionUser())?.id).toBe(firstUser!.id);
  });

  it('finds the person who signed in by QR code: one person, one account, whichever way they come', async () => {
    const person = newWechatUser({ subscribed: true });
    const byQr = await signInByWechat(harness, person);
    const phone = wechatPhone(harness, person.openid);
    const page = await phone.startSignIn({ callbackURL: '/account', scope: 'base' });
    expect(path(page.url)).toBe('/account');
    expect((await phone.sessionUser())?.id).toBe(byQr.body.user.id);
  });

  it('finds a person by unionid, as the QR flow keys them', async () => {
    const person = newWechatUser({ unionid: `oUnion${Date.now().toString(36)}`, subscribed: true });
    const byQr = await signInByWechat(harness, person);
    const phone = wechatPhone(harness, person.openid);
    await phone.startSignIn({ scope: 'base' });
    expect((await phone.sessionUser())?.id).toBe(byQr.body.user.id);
  });

  it('keeps a name the user chose: consent later fills only what is still the default', async () => {
    const person = newWechatUser({ subscribed: true });
    const byQr = await signInByWechat(harness, person);
    await byQr.client.post('/api/v1/me/profile', { name: 'Chosen Name' });
    const phone = wechatPhone(harness, person.openid);
    const consent = await phone.startSignIn({ scope: 'userinfo' });
    await phone.browser.submitForm(consent, { name: 'decision', value: 'allow' });
    const user = await phone.sessionUser();
    expect(user?.name).toBe('Chosen Name');
  });

  it('sends a refusal on the consent screen back to the error page, signed out, and audits it', async () => {
    const { openid } = newWechatUser();
    const phone = wechatPhone(harness, openid);
    const consent = await phone.startSignIn({ errorCallbackURL: '/sign-in?redirect=%2Faccount' });
    const refused = await phone.browser.submitForm(consent, { name: 'decision', value: 'deny' });
    expect(path(refused.url)).toBe('/sign-in?redirect=%2Faccount&error=WECHAT_OAUTH_CONSENT_REFUSED');
    expect(await phone.sessionUser()).toBeNull();
    const events = await auditEvents(harness.runtime, { type: 'sign-in.failed', 'details.code': 'WECHAT_OAUTH_CONSENT_REFUSED' });
    expect(events.length).toBeGreaterThan(0);
  });

  it.each([
    ['code-invalid', 'WECHAT_OAUTH_CODE_INVALID'],
    ['code-used', 'WECHAT_OAUTH_CODE_INVALID'],
    ['no-permission', 'WECHAT_OAUTH_NOT_PERMITTED'],
    ['snapshot-user', 'WECHAT_OAUTH_SNAPSHOT_USER'],
  ] as const)('maps WeChat refusing the exchange (%s) to %s, signed out', async (fault, code) => {
    const phone = wechatPhone(harness, newWechatUser().openid);
    harness.simulator.faults.failNextOAuth(fault);
    const page = await phone.startSignIn({ scope: 'base' });
    harness.simulator.faults.clear();
    expect(errorOf(page)).toBe(code);
    expect(await phone.sessionUser()).toBeNull();
  });

  it('still signs in when WeChat cannot give the profile, with the default name', async () => {
    const { openid } = newWechatUser();
    const phone = wechatPhone(harness, openid);
    const consent = await phone.startSignIn({ scope: 'userinfo' });
    harness.simulator.faults.failNextOAuth('userinfo-fails');
    const done = await phone.browser.submitForm(consent, { name: 'decision', value: 'allow' });
    harness.simulator.faults.clear();
    expect(errorOf(done)).toBeNull();
    expect((await phone.sessionUser())?.name).toBe(`WeChat user ${openid.slice(-6)}`);
  });

  it('answers the consent page for snsapi_userinfo only when asked: scope base never asks', async () => {
    const phone = wechatPhone(harness, newWechatUser().openid);
    const page = await phone.startSignIn({ scope: 'base', newUserCallbackURL: '/welcome' });
    expect(path(page.url)).toBe('/welcome');
  });
});

describe('web authorization as an attacker tries it', () => {
  let harness: WechatHarness;

  beforeAll(async () => {
    harness = await startWechatHarness();
  });
  afterAll(async () => {
    await harness.close();
  });

  /** The URL WeChat sends the browser back to, stopped before our callback runs. */
  async function callbackUrlFor(openid: string, body: object = { scope: 'base' }) {
    const phone = wechatPhone(harness, openid);
    // Any visit to the simulator hands the phone's WeChat identity cookie to its jar.
    await phone.browser.open(`${harness.simulatorUrl}/`);
    const started = await phone.post('/api/auth/sign-in-wechat-oauth', body);
    const authorize = await fetch(String(started.body.url), {
      redirect: 'manual',
      headers: { 'user-agent': phone.browser.userAgent, cookie: phone.browser.cookies.cookieHeader(new URL(String(started.body.url)), { method: 'GET', isSameSite: false }) },
    });
    const location = authorize.headers.get('location');
    if (!location) throw new Error(`the authorization page did not redirect: ${authorize.status}`);
    return { phone, callback: location };
  }

  it.each(['https://evil.example/', '//evil.example/x', '/\\evil.example', 'javascript:alert(1)', 'evil.example', '/ok path', '/ok\r\nSet-Cookie: a=b', `/${'a'.repeat(2048)}`])(
    'refuses a callback URL that is not a path on this site (%j), in each of the three places',
    async (url) => {
      const phone = wechatPhone(harness, newWechatUser().openid);
      // better-auth's origin check refuses other origins first (403); our endpoint refuses the rest (400).
      const codes = { callbackURL: 'INVALID_CALLBACK_URL', newUserCallbackURL: 'INVALID_NEW_USER_CALLBACK_URL', errorCallbackURL: 'INVALID_ERROR_CALLBACK_URL' };
      for (const [field, code] of Object.entries(codes)) {
        const res = await phone.post('/api/auth/sign-in-wechat-oauth', { [field]: url });
        expect([400, 403], field).toContain(res.status);
        expect([code, 'INVALID_CALLBACK_URL'], field).toContain(res.body.code);
      }
    },
  );

  it('builds WeChat\'s authorization URL with its parameters in WeChat\'s order and #wechat_redirect', async () => {
    const phone = wechatPhone(harness, newWechatUser().openid);
    const started = await phone.post('/api/auth/sign-in-wechat-oauth', {});
    const url = String(started.body.url);
    expect(url).toMatch(
      new RegExp(`^${harness.simulatorUrl}/connect/oauth2/authorize\\?appid=wx[0-9a-z]+&redirect_uri=${encodeURIComponent(`${harness.baseUrl}/api/auth/wechat-oauth/callback`).replace(/[.]/g, '\\.')}&response_type=code&scope=snsapi_base&state=[0-9a-f]{32}#wechat_redirect$`),
    );
  });

  it('refuses a callback without a state, or with one it never issued', async () => {
    const phone = wechatPhone(harness, newWechatUser().openid);
    for (const query of ['code=abc', 'code=abc&state=', 'code=abc&state=0123456789abcdef0123456789abcdef', 'code=abc&state=../../x', 'code=abc&state=a&state=b']) {
      const page = await phone.browser.open(`${harness.baseUrl}/api/auth/wechat-oauth/callback?${query}`);
      expect(errorOf(page), query).toBe('WECHAT_OAUTH_STATE_INVALID');
    }
    expect(await phone.sessionUser()).toBeNull();
  });

  it('refuses a replayed callback: the state is single-use', async () => {
    const { phone, callback } = await callbackUrlFor(newWechatUser().openid);
    const first = await phone.browser.open(callback);
    expect(errorOf(first)).toBeNull();
    await phone.post('/api/auth/sign-out', {});
    const replay = await phone.browser.open(callback);
    expect(errorOf(replay)).toBe('WECHAT_OAUTH_STATE_INVALID');
    expect(await phone.sessionUser()).toBeNull();
  });

  it('refuses the callback in another browser, and the owner can still finish (a stolen state cannot cancel a sign-in)', async () => {
    const victim = newWechatUser().openid;
    const { phone, callback } = await callbackUrlFor(victim);
    const attacker = wechatPhone(harness, newWechatUser().openid);
    const stolen = await attacker.browser.open(callback);
    expect(errorOf(stolen)).toBe('WECHAT_OAUTH_STATE_MISMATCH');
    expect(await attacker.sessionUser()).toBeNull();
    const mine = await phone.browser.open(callback);
    expect(errorOf(mine)).toBeNull();
    expect(await phone.sessionUser()).not.toBeNull();
    const refusals = await auditEvents(harness.runtime, { type: 'sign-in.failed', 'details.code': 'WECHAT_OAUTH_STATE_MISMATCH' });
    expect(refusals.length).toBeGreaterThan(0);
  });

  it('refuses an expired state', async () => {
    const { phone, callback } = await callbackUrlFor(newWechatUser().openid);
    await harness.runtime.database.db.collection(OAUTH_STATE_COLLECTION).updateMany({}, { $set: { expiresAt: new Date(Date.now() - 1000) } });
    const page = await phone.browser.open(callback);
    expect(errorOf(page)).toBe('WECHAT_OAUTH_STATE_EXPIRED');
  });

  it('lets one of two racing callbacks of one state through, never both', async () => {
    const { phone, callback } = await callbackUrlFor(newWechatUser().openid);
    const pages = await Promise.all([phone.browser.open(callback), phone.browser.open(callback), phone.browser.open(callback)]);
    expect(pages.filter((page) => errorOf(page) === null)).toHaveLength(1);
  });

  it('refuses a spent code sent back with a fresh state', async () => {
    const openid = newWechatUser().openid;
    const first = await callbackUrlFor(openid);
    await first.phone.browser.open(first.callback);
    const oldCode = new URL(first.callback).searchParams.get('code')!;
    const second = await callbackUrlFor(openid);
    const forged = new URL(second.callback);
    forged.searchParams.set('code', oldCode);
    const page = await first.phone.browser.open(forged.href);
    expect(errorOf(page)).toBe('WECHAT_OAUTH_CODE_INVALID');
  });

  it('never writes the code, the state or a token into the logs or the audit trail', async () => {
    const { phone, callback } = await callbackUrlFor(newWechatUser().openid);
    await phone.browser.open(callback);
    const params = new URL(callback).searchParams;
    const events = JSON.stringify(await auditEvents(harness.runtime, {}));
    expect(events).not.toContain(params.get('code'));
    expect(events).not.toContain(params.get('state'));
  });

  it('refuses a banned user at the callback, with BANNED_USER', async () => {
    const openid = newWechatUser().openid;
    const first = await callbackUrlFor(openid);
    await first.phone.browser.open(first.callback);
    const user = await first.phone.sessionUser();
    await harness.runtime.database.db.collection('user').updateOne({ name: user!.name, email: user!.email }, { $set: { banned: true } });
    await first.phone.post('/api/auth/sign-out', {});
    const again = await callbackUrlFor(openid);
    const page = await again.phone.browser.open(again.callback);
    expect(errorOf(page)).toBe('BANNED_USER');
    expect(await again.phone.sessionUser()).toBeNull();
  });
});

describe('binding by web authorization', () => {
  let harness: WechatHarness;

  beforeAll(async () => {
    harness = await startWechatHarness();
  });
  afterAll(async () => {
    await harness.close();
  });

  let counter = 0;
  /** A person with a password account, signed in inside WeChat on their phone. */
  async function signedInPhone(openid: string) {
    counter += 1;
    const email = `bind-oauth-${Date.now()}-${counter}@example.com`;
    await signUpByEmail(harness.runtime.app, { email, password: 'correct horse battery', name: 'Binder' });
    // A browser of its own (one WeChat user may hold two accounts' tabs), known to the simulated WeChat.
    harness.simulator.phone.browser(openid);
    const phone = wechatPhone(harness, openid, createInAppBrowser({ openid, simulatorBaseUrl: () => harness.simulatorUrl }));
    const res = await phone.post('/api/auth/sign-in/email', { email, password: 'correct horse battery' });
    if (res.status !== 200) throw new Error(`sign-in failed: ${res.status}`);
    return phone;
  }

  it('binds the WeChat of this browser to the signed-in user and audits it', async () => {
    const { openid } = newWechatUser();
    const phone = await signedInPhone(openid);
    const started = await phone.post('/api/auth/bind-wechat-oauth', { callbackURL: '/account?wechat=bound', errorCallbackURL: '/account' });
    expect(started.status).toBe(200);
    const page = await phone.browser.open(String(started.body.url));
    expect(new URL(page.url).search).toBe('?wechat=bound');
    const binding = await phone.get('/api/auth/check-wechat-binding');
    expect(binding.body).toMatchObject({ bound: true });
    const user = await phone.sessionUser();
    const [event] = await auditEvents(harness.runtime, { type: 'wechat.bound', userId: user!.id });
    expect(event?.details).toMatchObject({ method: 'wechat-oauth', openid });
  });

  it('refuses without a session', async () => {
    const phone = wechatPhone(harness, newWechatUser().openid);
    const res = await phone.post('/api/auth/bind-wechat-oauth', {});
    expect(res.status).toBe(401);
  });

  it('refuses a WeChat that belongs to someone else (409 rule), as an error page', async () => {
    const person = newWechatUser({ subscribed: true });
    await signInByWechat(harness, person);
    const phone = await signedInPhone(person.openid);
    const started = await phone.post('/api/auth/bind-wechat-oauth', { errorCallbackURL: '/account' });
    const page = await phone.browser.open(String(started.body.url));
    expect(errorOf(page)).toBe('WECHAT_ALREADY_BOUND');
  });

  it('refuses when the signed-in user changed between start and return', async () => {
    const phone = await signedInPhone(newWechatUser().openid);
    const started = await phone.post('/api/auth/bind-wechat-oauth', {});
    await phone.post('/api/auth/sign-out', {});
    const page = await phone.browser.open(String(started.body.url));
    expect(errorOf(page)).toBe('WECHAT_OAUTH_SESSION_CHANGED');
  });

  it('lets only one of two users racing to bind one WeChat win', async () => {
    const { openid } = newWechatUser();
    const [a, b] = await Promise.all([signedInPhone(openid), signedInPhone(openid)]);
    // Two browsers of the same WeChat user (two tabs, two accounts): each has its own state.
    const [startA, startB] = await Promise.all([a.post('/api/auth/bind-wechat-oauth', {}), b.post('/api/auth/bind-wechat-oauth', {})]);
    const pages = await Promise.all([a.browser.open(String(startA.body.url)), b.browser.open(String(startB.body.url))]);
    const errors = pages.map(errorOf).sort();
    expect(errors).toEqual(['WECHAT_ALREADY_BOUND', null].sort());
  });
});

describe('web authorization in the logs', () => {
  it('never writes the code, the state, the AppSecret or WeChat\'s per-user token, at any level', async () => {
    const log = capturedLog('trace');
    const harness = await startWechatHarness({ logger: log.logger });
    try {
      const phone = wechatPhone(harness, newWechatUser().openid);
      const consent = await phone.startSignIn({ scope: 'userinfo' });
      const done = await phone.browser.submitForm(consent, { name: 'decision', value: 'allow' });
      expect(errorOf(done)).toBeNull();
      // One refused round trip too: its error path logs as well.
      await phone.browser.open(`${harness.baseUrl}/api/auth/wechat-oauth/callback?code=leakycode123&state=0123456789abcdef0123456789abcdef`);
      const callback = [...done.redirects, done.url].map((url) => new URL(url)).find((url) => url.pathname === '/api/auth/wechat-oauth/callback')!;
      const text = log.text();
      expect(text).toContain('wechat-oauth/callback');
      for (const secret of [callback.searchParams.get('code')!, callback.searchParams.get('state')!, 'leakycode123', '0123456789abcdef0123456789abcdef', 'test-app-secret']) {
        expect(text).not.toContain(secret);
      }
      expect(text).not.toMatch(/access_token=(?!\[redacted\])/);
    } finally {
      await harness.close();
    }
  });
});
