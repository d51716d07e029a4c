import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import * as oidc from 'openid-client';
import { uniqueDbName } from '../support/test-runtime.js';
import { newWechatUser, scanAndConfirm, type IssuedQrcode } from '../support/wechat-harness.js';
import { wechatPhone } from '../support/wechat-web-authorization.js';
import {
  ADMIN, REDIRECT_URI, createClient, publicClientConfig, redeem, signInByPassword, signUp, startOidcHarness,
  OidcBrowser, type Authorization, type OidcHarness,
} from './oidc-harness.js';

/**
 * The provider's pages as the SPA drives them: /oauth2/authorize sends a browser without a session to
 * /sign-in?<signed query>; every sign-in method hands that query back (`oauth_query`) and the answer is
 * where the authorization continues; /oauth/consent allows or refuses. The SPA's calls are made here as
 * it makes them (fetch: JSON answers), with openid-client as the app on the other end.
 */

let harness: OidcHarness;
let shop: oidc.Configuration;
let firstParty: oidc.Configuration;
const PERSON = { email: 'lin@example.com', password: 'correct-horse-3', name: 'Lin Hui', username: 'linhui' };

beforeAll(async () => {
  harness = await startOidcHarness({ dbName: uniqueDbName('oidc') });
  const admin = await signInByPassword(harness.baseUrl, ADMIN.username, ADMIN.password);
  const shopClient = await createClient(harness, admin, { client_name: 'Shop', token_endpoint_auth_method: 'none', logo_uri: 'https://shop.example.test/logo.png' });
  const trusted = await createClient(harness, admin, { client_name: 'Our back office', token_endpoint_auth_method: 'none', skip_consent: true });
  shop = await publicClientConfig(harness.baseUrl, shopClient.client_id);
  firstParty = await publicClientConfig(harness.baseUrl, trusted.client_id);
  await signUp(harness.baseUrl, PERSON);
}, 120_000);

afterAll(async () => {
  await harness?.close();
});

afterEach(() => {
  vi.useRealTimers();
});

interface Started extends Omit<Authorization, 'callback'> {
  /** Where the provider sent the browser, relative to the site: `/sign-in?…` or `/oauth/consent?…`. */
  page: URL;
}

/** An app sends the browser to /oauth2/authorize; the provider answers with one of our pages. */
async function startAuthorization(config: oidc.Configuration, browser: OidcBrowser, scope: string, extra: Record<string, string> = {}): Promise<Started> {
  const codeVerifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: REDIRECT_URI,
    scope,
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    ...extra,
  });
  const res = await browser.get(url.href);
  if (!res.location) throw new Error(`authorize answered ${res.status} ${res.text}`);
  return { page: new URL(res.location, harness.baseUrl), codeVerifier, state, nonce };
}

/** The query the SPA hands back: the page's query without its leading "?". */
function signedQueryOf(page: URL): string {
  return page.search.slice(1);
}

/** The authorization request inside a signed query, without the signature's own fields: what the SPA asks /oauth2/authorize again. */
function requestParamsOf(signedQuery: string): URLSearchParams {
  const params = new URLSearchParams(signedQuery);
  for (const own of ['sig', 'exp', 'ba_iat', 'ba_pl', 'ba_param']) params.delete(own);
  return params;
}

/** `{redirect: true, url}`, the provider's answer to a fetch: the URL, on this site or the app's. */
function answeredUrl(res: { status: number; text: string }): URL {
  if (res.status !== 200) throw new Error(`expected a hand-off, got ${res.status} ${res.text}`);
  const body = JSON.parse(res.text) as { redirect?: boolean; url?: string };
  expect(body.redirect).toBe(true);
  return new URL(body.url!, harness.baseUrl);
}

async function consent(browser: OidcBrowser, consentPage: URL, accept: boolean): Promise<URL> {
  expect(consentPage.pathname).toBe('/oauth/consent');
  return answeredUrl(await browser.post('/api/auth/oauth2/consent', { accept, oauth_query: signedQueryOf(consentPage) }));
}

function grantFrom(started: Started, callback: URL): Authorization {
  return { callback, codeVerifier: started.codeVerifier, state: started.state, nonce: started.nonce };
}

async function sessionUserId(browser: OidcBrowser): Promise<string | null> {
  const res = await browser.get('/api/auth/get-session', { accept: 'application/json' });
  return (JSON.parse(res.text) as { user?: { id: string } } | null)?.user?.id ?? null;
}

describe('/sign-in with an authorization request', () => {
  it('is where a browser without a session is sent, with a signed query naming the app and what it asks', async () => {
    const started = await startAuthorization(shop, new OidcBrowser(harness.baseUrl), 'openid profile');
    expect(started.page.pathname).toBe('/sign-in');
    const query = started.page.searchParams;
    expect(query.get('client_id')).toBe(shop.clientMetadata().client_id);
    expect(query.get('scope')).toBe('openid profile');
    expect(query.get('sig')).toBeTruthy();
    // The signature lives as long as an authorization code: the page renews it when it is older (see the SPA).
    expect(Number(query.get('exp')) - Math.floor(Number(query.get('ba_iat')) / 1000)).toBeLessThanOrEqual(60);
  });

  it('hands off after a password sign-in by username: consent, then the app gets a code for its state', async () => {
    const browser = new OidcBrowser(harness.baseUrl);
    const started = await startAuthorization(shop, browser, 'openid profile');
    const next = answeredUrl(await browser.post('/api/auth/sign-in/username', { username: PERSON.username, password: PERSON.password, oauth_query: signedQueryOf(started.page) }));
    expect(next.pathname).toBe('/oauth/consent');
    const callback = await consent(browser, next, true);
    expect(`${callback.origin}${callback.pathname}`).toBe(REDIRECT_URI);
    const tokens = await redeem(shop, grantFrom(started, callback));
    const userinfo = await oidc.fetchUserInfo(shop, tokens.access_token, tokens.claims()!.sub);
    expect(userinfo.preferred_username).toBe(PERSON.username);
  });

  it('hands off after a password sign-in by email', async () => {
    const browser = new OidcBrowser(harness.baseUrl);
    const started = await startAuthorization(shop, browser, 'openid');
    const next = answeredUrl(await browser.post('/api/auth/sign-in/email', { email: PERSON.email, password: PERSON.password, oauth_query: signedQueryOf(started.page) }));
    // Consent for openid was given in the test before: the app gets its code at once.
    const tokens = await redeem(shop, grantFrom(started, next));
    expect(tokens.claims()?.sub).toBeTruthy();
  });

  it('hands off after the desktop QR sign-in, confirmed on the simulated phone', async () => {
    const browser = new OidcBrowser(harness.baseUrl);
    const started = await startAuthorization(shop, browser, 'openid wechat');
    const issued = await browser.get('/api/v1/pub/mp/get-qrcode', { accept: 'application/json' });
    const qrcode = issued.json<{ data: IssuedQrcode }>().data;
    const wechatUser = newWechatUser({ unionid: `uPages_${Date.now().toString(36)}` });
    await scanAndConfirm(harness.wechat, qrcode, wechatUser);
    const next = answeredUrl(await browser.post('/api/auth/sign-in-wechat', { sceneId: qrcode.sceneId, oauth_query: signedQueryOf(started.page) }));
    const tokens = await redeem(shop, grantFrom(started, await consent(browser, next, true)));
    expect(tokens.claims()).toMatchObject({ wechat_openid: wechatUser.openid, wechat_unionid: wechatUser.unionid });
  });

  it('hands off after one tap inside WeChat: the round trip through WeChat comes back to /sign-in with the query, and the page asks the provider again', async () => {
    const wechatUser = newWechatUser();
    const phone = wechatPhone(harness.wechat, wechatUser.openid);
    const browser = new OidcBrowser(harness.baseUrl);
    const started = await startAuthorization(shop, browser, 'openid wechat');
    const signInPage = `/sign-in?${signedQueryOf(started.page)}`;
    // Anything longer than the server's limit on a return path would not come back whole.
    expect(signInPage.length).toBeLessThan(2048);
    const consentScreen = await phone.startSignIn({ callbackURL: signInPage, errorCallbackURL: signInPage });
    // A new person: WeChat asks them once to share their profile.
    const back = await phone.browser.submitForm(consentScreen, { name: 'decision', value: 'allow' });
    expect(back.url).toBe(`${harness.baseUrl}${signInPage}`);
    expect(await phone.sessionUser()).not.toBeNull();

    // The page, signed in now, asks /oauth2/authorize with the request inside its query (its signature may be old by now).
    const asked = await phone.get(`/api/auth/oauth2/authorize?${requestParamsOf(signedQueryOf(started.page)).toString()}`);
    expect(asked.status).toBe(200);
    const next = new URL((asked.body as { url: string }).url, harness.baseUrl);
    expect(next.pathname).toBe('/oauth/consent');
    const consented = await phone.post('/api/auth/oauth2/consent', { accept: true, oauth_query: signedQueryOf(next) });
    const callback = new URL(String(consented.body.url));
    const tokens = await redeem(shop, grantFrom(started, callback));
    expect(tokens.claims()).toMatchObject({ wechat_openid: wechatUser.openid });
  });

  it('sends a visitor who is already signed in on at once: no sign-in page', async () => {
    const browser = await signInByPassword(harness.baseUrl, PERSON.username, PERSON.password);
    const started = await startAuthorization(shop, browser, 'openid');
    expect(`${started.page.origin}${started.page.pathname}`).toBe(REDIRECT_URI);
  });

  it('refuses a tampered query: no session, no redirect, the scene of a QR sign-in left unspent', async () => {
    const browser = new OidcBrowser(harness.baseUrl);
    const started = await startAuthorization(shop, browser, 'openid');
    const tampered = [
      signedQueryOf(started.page).replace('scope=openid', 'scope=openid+wechat'),
      signedQueryOf(started.page).replace(encodeURIComponent(REDIRECT_URI), encodeURIComponent('https://evil.example.net/callback')),
      requestParamsOf(signedQueryOf(started.page)).toString(),
      `${signedQueryOf(started.page)}&sig=${started.page.searchParams.get('sig')}`,
    ];
    for (const oauthQuery of tampered) {
      const res = await browser.post('/api/auth/sign-in/username', { username: PERSON.username, password: PERSON.password, oauth_query: oauthQuery });
      expect(res.status).toBe(400);
      expect(res.json()).toMatchObject({ error: 'invalid_signature' });
      expect(res.text).not.toContain('evil');
    }
    expect(await sessionUserId(browser)).toBeNull();

    const issued = await browser.get('/api/v1/pub/mp/get-qrcode', { accept: 'application/json' });
    const qrcode = issued.json<{ data: IssuedQrcode }>().data;
    await scanAndConfirm(harness.wechat, qrcode, newWechatUser());
    const refused = await browser.post('/api/auth/sign-in-wechat', { sceneId: qrcode.sceneId, oauth_query: tampered[0] });
    expect(refused.status).toBe(400);
    // The person can still sign in with that scan, on a fresh query.
    const fresh = await startAuthorization(shop, browser, 'openid');
    const next = answeredUrl(await browser.post('/api/auth/sign-in-wechat', { sceneId: qrcode.sceneId, oauth_query: signedQueryOf(fresh.page) }));
    expect(next.pathname).toBe('/oauth/consent');
  });

  it('refuses an expired query (older than its exp); a fresh one from /oauth2/authorize works', async () => {
    const browser = new OidcBrowser(harness.baseUrl);
    const started = await startAuthorization(shop, browser, 'openid');
    const expiresAtMs = Number(started.page.searchParams.get('exp')) * 1000;
    vi.useFakeTimers({ toFake: ['Date'], now: expiresAtMs + 1_000 });
    const res = await browser.post('/api/auth/sign-in/username', { username: PERSON.username, password: PERSON.password, oauth_query: signedQueryOf(started.page) });
    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({ error: 'invalid_signature' });

    // What the page does then: ask the provider again with the request inside the query, as fetch does.
    const renewed = await fetch(`${harness.baseUrl}/api/auth/oauth2/authorize?${requestParamsOf(signedQueryOf(started.page)).toString()}`, { headers: { accept: 'application/json' } });
    const page = new URL(((await renewed.json()) as { url: string }).url, harness.baseUrl);
    expect(page.pathname).toBe('/sign-in');
    const next = answeredUrl(await browser.post('/api/auth/sign-in/username', { username: PERSON.username, password: PERSON.password, oauth_query: signedQueryOf(page) }));
    expect(`${next.origin}${next.pathname}`).toBe(REDIRECT_URI);
  });

  it('names the app before sign-in (public fields only), for a signed query only', async () => {
    const started = await startAuthorization(shop, new OidcBrowser(harness.baseUrl), 'openid');
    const anonymous = new OidcBrowser(harness.baseUrl);
    const clientId = shop.clientMetadata().client_id;
    const named = await anonymous.post('/api/auth/oauth2/public-client-prelogin', { client_id: clientId, oauth_query: signedQueryOf(started.page) });
    expect(named.status).toBe(200);
    expect(named.json()).toMatchObject({ client_id: clientId, client_name: 'Shop', logo_uri: 'https://shop.example.test/logo.png' });
    expect(named.json<{ redirect_uris?: string[] }>().redirect_uris ?? []).toEqual([]);
    expect(named.json()).not.toHaveProperty('client_secret');
    for (const oauthQuery of [undefined, requestParamsOf(signedQueryOf(started.page)).toString()]) {
      const refused = await anonymous.post('/api/auth/oauth2/public-client-prelogin', { client_id: clientId, ...(oauthQuery === undefined ? {} : { oauth_query: oauthQuery }) });
      expect(refused.status).toBeGreaterThanOrEqual(400);
      expect(refused.text).not.toContain('Shop');
    }
  });
});

describe('/oauth/consent', () => {
  it('sends a refusal to the app as access_denied with its state, and records no consent', async () => {
    const { browser } = await signUp(harness.baseUrl, { email: 'refuser@example.com', password: 'correct-horse-4', name: 'Refuser' });
    const started = await startAuthorization(shop, browser, 'openid profile');
    const refused = await consent(browser, started.page, false);
    expect(`${refused.origin}${refused.pathname}`).toBe(REDIRECT_URI);
    expect(refused.searchParams.get('error')).toBe('access_denied');
    expect(refused.searchParams.get('state')).toBe(started.state);
    expect(refused.searchParams.get('code')).toBeNull();
    // Asked again next time.
    const again = await startAuthorization(shop, browser, 'openid profile');
    expect(again.page.pathname).toBe('/oauth/consent');
  });

  it('refuses a consent whose query was tampered with', async () => {
    const { browser } = await signUp(harness.baseUrl, { email: 'tamper@example.com', password: 'correct-horse-5', name: 'Tamper' });
    const started = await startAuthorization(shop, browser, 'openid');
    const res = await browser.post('/api/auth/oauth2/consent', { accept: true, oauth_query: signedQueryOf(started.page).replace('scope=openid', 'scope=openid+offline_access') });
    expect(res.status).toBe(400);
    expect(res.text).not.toContain('code=');
  });

  it('is never shown for a first-party (skip consent) app: sign-in hands straight back to it', async () => {
    const browser = new OidcBrowser(harness.baseUrl);
    const started = await startAuthorization(firstParty, browser, 'openid profile email');
    const next = answeredUrl(await browser.post('/api/auth/sign-in/username', { username: PERSON.username, password: PERSON.password, oauth_query: signedQueryOf(started.page) }));
    expect(`${next.origin}${next.pathname}`).toBe(REDIRECT_URI);
    const tokens = await redeem(firstParty, grantFrom(started, next));
    const userinfo = await oidc.fetchUserInfo(firstParty, tokens.access_token, tokens.claims()!.sub);
    expect(userinfo.preferred_username).toBe(PERSON.username);
  });
});
