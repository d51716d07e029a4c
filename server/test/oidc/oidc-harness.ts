import { request as httpRequest, type IncomingMessage } from 'node:http';
import * as oidc from 'openid-client';
import type { Runtime } from '../../src/runtime.js';
import type { Logger } from '../../src/logger.js';
import { newWechatUser, scanAndConfirm, startWechatHarness, type IssuedQrcode, type WechatHarness } from '../support/wechat-harness.js';

export const ADMIN = { username: 'oidc_admin', password: 'admin-password-1' };
export const REDIRECT_URI = 'https://rp.example.test/callback';
export const POST_LOGOUT_URI = 'https://rp.example.test/logged-out';
export const ALL_SCOPES = 'openid profile email offline_access wechat';

/** An answer read whole, with its headers. */
export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json<T = Record<string, unknown>>(): T;
  location: string | undefined;
}

/**
 * A browser on the provider's real port: a cookie jar and node:http requests without
 * `Sec-Fetch-Mode: cors` (fetch sends that, and the provider then answers JSON instead of redirecting).
 */
export class OidcBrowser {
  readonly cookies = new Map<string, string>();
  constructor(readonly baseUrl: string) {}

  get(pathOrUrl: string, headers: Record<string, string> = { accept: 'text/html', 'sec-fetch-mode': 'navigate' }): Promise<RawResponse> {
    return this.send('GET', pathOrUrl, headers);
  }

  post(path: string, body: object): Promise<RawResponse> {
    return this.send('POST', path, { 'content-type': 'application/json', origin: this.baseUrl, accept: 'application/json' }, JSON.stringify(body));
  }

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private send(method: string, pathOrUrl: string, headers: Record<string, string>, body?: string): Promise<RawResponse> {
    const url = new URL(pathOrUrl, this.baseUrl);
    return new Promise((resolve, reject) => {
      const req = httpRequest(url, { method, headers: { ...headers, ...(this.cookies.size ? { cookie: this.cookieHeader() } : {}) } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          for (const line of res.headers['set-cookie'] ?? []) {
            const [pair] = line.split(';');
            const eq = pair!.indexOf('=');
            const name = pair!.slice(0, eq).trim();
            const value = pair!.slice(eq + 1);
            if (value === '' || /max-age=0/i.test(line)) this.cookies.delete(name);
            else this.cookies.set(name, value);
          }
          const text = Buffer.concat(chunks).toString('utf8');
          const location = typeof res.headers.location === 'string' ? res.headers.location : undefined;
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: <T>() => JSON.parse(text) as T, location });
        });
      });
      req.on('error', reject);
      req.end(body);
    });
  }
}

export interface OidcHarness {
  baseUrl: string;
  runtime: Runtime;
  /** For the WeChat helpers: the simulator's phone scans and confirms. */
  wechat: WechatHarness;
  close(): Promise<void>;
}

/**
 * The WeChat harness (a runtime on a real port, wired to the simulator: the provider fetches its own
 * JWKS at logout) with an admin to register clients. A second harness may share the database
 * (`dbName`), as a second instance would.
 */
export async function startOidcHarness(options: { dbName: string; logger?: Logger; env?: Record<string, string> }): Promise<OidcHarness> {
  const wechat = await startWechatHarness({
    dbName: options.dbName,
    ...(options.logger ? { logger: options.logger } : {}),
    env: { ADMIN_USERNAME: ADMIN.username, ADMIN_PASSWORD: ADMIN.password, ...options.env },
  });
  return { baseUrl: wechat.baseUrl, runtime: wechat.runtime, wechat, close: wechat.close };
}

export async function signInByPassword(baseUrl: string, username: string, password: string): Promise<OidcBrowser> {
  const b = new OidcBrowser(baseUrl);
  const res = await b.post('/api/auth/sign-in/username', { username, password });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${res.text}`);
  return b;
}

export async function signUp(baseUrl: string, user: { email: string; password: string; name: string; username?: string }): Promise<{ browser: OidcBrowser; userId: string }> {
  const b = new OidcBrowser(baseUrl);
  const res = await b.post('/api/auth/sign-up/email', user);
  if (res.status !== 200) throw new Error(`sign-up failed: ${res.status} ${res.text}`);
  return { browser: b, userId: res.json<{ user: { id: string } }>().user.id };
}

/** The QR sign-in, on the phone of the simulator: QR code, scan, confirm, sign in. */
export async function signInByWechatQr(harness: OidcHarness, user = newWechatUser({ unionid: `uTest_${Math.random().toString(36).slice(2, 12)}` })) {
  const b = new OidcBrowser(harness.baseUrl);
  const issued = await b.get('/api/v1/pub/mp/get-qrcode', { accept: 'application/json' });
  if (issued.status !== 200) throw new Error(`get-qrcode failed: ${issued.status} ${issued.text}`);
  const qrcode = issued.json<{ data: IssuedQrcode }>().data;
  await scanAndConfirm(harness.wechat, qrcode, user);
  const res = await b.post('/api/auth/sign-in-wechat', { sceneId: qrcode.sceneId });
  if (res.status !== 200) throw new Error(`sign-in-wechat failed: ${res.status} ${res.text}`);
  return { browser: b, wechatUser: user, userId: res.json<{ user: { id: string } }>().user.id };
}

export type ClientBody = Record<string, unknown>;

/**
 * Registers a client as the admin API does (the plugin's server-only adminCreateOAuthClient, with the
 * admin's session): unlike the public create-client endpoint, it may allow RP-initiated logout.
 */
export async function createClient(harness: OidcHarness, admin: OidcBrowser, body: ClientBody): Promise<{ client_id: string; client_secret?: string }> {
  const api = harness.runtime.auth.api as unknown as Record<string, (arg: { headers: Headers; body: ClientBody }) => Promise<{ client_id: string; client_secret?: string }>>;
  return api.adminCreateOAuthClient!({
    headers: new Headers({ cookie: admin.cookieHeader(), origin: harness.baseUrl }),
    body: {
      client_name: 'Test app',
      redirect_uris: [REDIRECT_URI],
      post_logout_redirect_uris: [POST_LOGOUT_URI],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      scope: ALL_SCOPES,
      enable_end_session: true,
      ...body,
    },
  });
}

export function publicClientConfig(baseUrl: string, clientId: string): Promise<oidc.Configuration> {
  return oidc.discovery(new URL(baseUrl), clientId, undefined, oidc.None(), { execute: [oidc.allowInsecureRequests] });
}

export function confidentialClientConfig(baseUrl: string, clientId: string, secret: string): Promise<oidc.Configuration> {
  return oidc.discovery(new URL(baseUrl), clientId, secret, oidc.ClientSecretBasic(secret), { execute: [oidc.allowInsecureRequests] });
}

export interface Authorization {
  callback: URL;
  codeVerifier: string;
  state: string;
  nonce: string;
}

/**
 * authorize → (sign in at /sign-in) → (consent at /oauth/consent) → the client's redirect URI with a code,
 * as a person in a browser goes through it; the SPA pages are stood in for by their API calls.
 */
export async function authorize(
  config: oidc.Configuration,
  browser: OidcBrowser,
  scope: string,
  options: { password?: { username: string; password: string }; consent?: boolean } = {},
): Promise<Authorization> {
  const codeVerifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(config, { redirect_uri: REDIRECT_URI, scope, code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier), code_challenge_method: 'S256', state, nonce });
  const res = await browser.get(url.href);
  let location = res.location;
  if (!location) throw new Error(`authorize answered ${res.status} ${res.text}`);
  if (options.password) {
    const login = new URL(location, browser.baseUrl);
    if (login.pathname !== '/sign-in') throw new Error(`expected /sign-in, got ${location}`);
    const signedIn = await browser.post('/api/auth/sign-in/username', { ...options.password, oauth_query: login.search.slice(1) });
    location = signedIn.json<{ url?: string }>().url;
    if (!location) throw new Error(`sign-in answered ${signedIn.status} ${signedIn.text}`);
  }
  const next = new URL(location, browser.baseUrl);
  if (next.pathname === '/oauth/consent') {
    if (options.consent === false) throw new Error('consent was asked for again');
    const consented = await browser.post('/api/auth/oauth2/consent', { accept: true, oauth_query: next.search.slice(1) });
    location = consented.json<{ url?: string }>().url;
    if (!location) throw new Error(`consent answered ${consented.status} ${consented.text}`);
  }
  if (!location.startsWith(REDIRECT_URI)) throw new Error(`expected a redirect to the client, got ${location}`);
  return { callback: new URL(location), codeVerifier, state, nonce };
}

export function redeem(config: oidc.Configuration, grant: Authorization): Promise<oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers> {
  return oidc.authorizationCodeGrant(config, grant.callback, { pkceCodeVerifier: grant.codeVerifier, expectedState: grant.state, expectedNonce: grant.nonce, idTokenExpected: true });
}

/** A raw token request, for answers openid-client would turn into exceptions. */
export async function tokenRequest(baseUrl: string, params: Record<string, string>, headers: Record<string, string> = {}) {
  const res = await fetch(`${baseUrl}/api/auth/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', ...headers },
    body: new URLSearchParams(params).toString(),
  });
  return { status: res.status, body: (await res.json()) as Record<string, string> };
}
