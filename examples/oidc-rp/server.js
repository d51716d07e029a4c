/**
 * A second web app that signs its users in through the WeChat login service with a standard OIDC client
 * (panva's openid-client): authorization code + PKCE + state + nonce, then userinfo, then RP-initiated logout.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import * as oidc from 'openid-client';
import { config, registrationHelp } from './config.js';
import { errorPage, signedInPage, signedOutPage } from './pages.js';

if (!config.clientId) {
  console.error(registrationHelp());
  process.exit(1);
}

/** Discovery, fetched on first use and again after a failure (the provider may start after this app). */
let discovered;
function provider() {
  const clientAuth = config.clientSecret ? oidc.ClientSecretBasic(config.clientSecret) : oidc.None();
  // http is for a provider on this machine only; openid-client refuses it otherwise.
  const options = config.issuer.protocol === 'http:' ? { execute: [oidc.allowInsecureRequests] } : undefined;
  discovered ??= oidc.discovery(config.issuer, config.clientId, config.clientSecret, clientAuth, options).catch((error) => {
    discovered = undefined;
    throw error;
  });
  return discovered;
}

/** This app's own sessions, in memory: a random id in an HttpOnly cookie. A real app keeps them in its store. */
const sessions = new Map();
const SESSION_COOKIE = 'example_rp_session';

function startSession(res, data) {
  const id = randomBytes(24).toString('base64url');
  sessions.set(id, data);
  res.setHeader('set-cookie', `${SESSION_COOKIE}=${id}; Path=/; HttpOnly; SameSite=Lax`);
  return { id, data };
}

function sessionOf(req, res) {
  const id = /(?:^|;\s*)example_rp_session=([\w-]+)/.exec(req.headers.cookie ?? '')?.[1];
  return id && sessions.has(id) ? { id, data: sessions.get(id) } : startSession(res, {});
}

async function startSignIn(session) {
  const codeVerifier = oidc.randomPKCECodeVerifier();
  session.pending = { codeVerifier, state: oidc.randomState(), nonce: oidc.randomNonce() };
  return oidc.buildAuthorizationUrl(await provider(), {
    redirect_uri: config.redirectUri,
    scope: config.scope,
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state: session.pending.state,
    nonce: session.pending.nonce,
  });
}

/** Redeems the code with this browser's verifier, checks state and nonce, and reads userinfo. */
async function finishSignIn(session, currentUrl) {
  const { pending } = session;
  delete session.pending; // one try per authorization: a replayed callback finds nothing
  if (!pending) throw new Error('no sign-in in progress');
  const client = await provider();
  const tokens = await oidc.authorizationCodeGrant(client, currentUrl, {
    pkceCodeVerifier: pending.codeVerifier,
    expectedState: pending.state,
    expectedNonce: pending.nonce,
    idTokenExpected: true,
  });
  const claims = tokens.claims();
  const userinfo = await oidc.fetchUserInfo(client, tokens.access_token, claims.sub);
  return { claims, userinfo, idToken: tokens.id_token };
}

async function route(req, res) {
  const url = new URL(req.url, config.baseUrl);
  const session = sessionOf(req, res);
  const send = (status, html) => res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' }).end(html);

  if (req.method === 'GET' && url.pathname === '/') return send(200, session.data.user ? signedInPage(session.data.user) : signedOutPage());
  if (req.method === 'POST' && url.pathname === '/login') return res.writeHead(303, { location: (await startSignIn(session.data)).href }).end();
  if (req.method === 'GET' && url.pathname === '/callback') {
    let user;
    try {
      user = await finishSignIn(session.data, url);
    } catch (error) {
      // e.g. access_denied when the person refuses consent: the provider's OAuth error, which holds no token.
      return send(400, errorPage(error.error ? `${error.error} ${error.error_description ?? ''}` : error.message));
    }
    // A new session id once signed in: an id planted in this browser beforehand (cookies on localhost are
    // shared by every port) is worth nothing.
    sessions.delete(session.id);
    startSession(res, { user });
    return res.writeHead(303, { location: '/' }).end();
  }
  if (req.method === 'POST' && url.pathname === '/logout') {
    const idToken = session.data.user?.idToken;
    sessions.delete(session.id); // signed out here first, whatever the provider answers
    if (!idToken) return res.writeHead(303, { location: '/' }).end();
    // RP-initiated logout: the provider ends its own session, then comes back here. (A form POST would keep
    // the id_token out of the URL, but the provider's origin check refuses a POST from this app's origin.)
    const endSession = oidc.buildEndSessionUrl(await provider(), { id_token_hint: idToken, post_logout_redirect_uri: config.postLogoutRedirectUri });
    return res.writeHead(303, { location: endSession.href }).end();
  }
  res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
}

createServer((req, res) => {
  route(req, res).catch((error) => {
    console.error('[example] request failed:', error.message);
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/html; charset=utf-8' }).end(errorPage('the provider could not be reached'));
  });
}).listen(config.port, 'localhost', () => {
  console.log(`[example] ${config.baseUrl} signs in through ${config.issuer.href} as client ${config.clientId}`);
});
