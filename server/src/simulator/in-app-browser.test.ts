import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCookieJar } from './cookie-jar.js';
import { createInAppBrowser, MAX_REDIRECTS, MOBILE_SAFARI_USER_AGENT, WECHAT_IN_APP_USER_AGENT } from './in-app-browser.js';

/** A tiny site that sets cookies, redirects and shows what it received. */
function testSite(): express.Express {
  const app = express();
  const echo = (req: express.Request, res: express.Response, body = ''): void => {
    const seen = { method: req.method, cookie: req.headers.cookie ?? '', ua: req.headers['user-agent'] ?? '', site: req.headers['sec-fetch-site'] ?? '', origin: req.headers.origin ?? '', body };
    res.type('html').send(`<pre id="seen">${JSON.stringify(seen).replace(/</g, '\\u003c')}</pre>`);
  };
  app.get('/set', (_req, res) => {
    res.append('set-cookie', [
      'a=1; Path=/',
      'scoped=2; Path=/area',
      'short=4; Max-Age=60',
      'gone=3; Max-Age=0',
      `old=5; Expires=${new Date(Date.now() - 60_000).toUTCString()}`,
      'loopbacksecure=6; Secure; HttpOnly',
      'strict=7; SameSite=Strict',
      'insecurenone=8; SameSite=None',
    ]);
    res.redirect(302, '/echo');
  });
  app.get('/echo', (req, res) => echo(req, res));
  app.get('/area/echo', (req, res) => echo(req, res));
  app.get('/areax/echo', (req, res) => echo(req, res));
  app.get('/loop', (_req, res) => res.redirect(302, '/loop'));
  app.get('/to-wechat-app', (_req, res) => res.redirect(302, 'weixin://dl/business/?t=abc'));
  app.get('/form-page', (_req, res) => {
    res.type('html').send(
      '<form method="post" action="/after-post"><input type="hidden" name="decision" value="yes"><input type="hidden" name="note" value="a &amp; b"></form>' +
        '<form method="post" action="/keep-post"><input type="hidden" name="decision" value="again"></form>',
    );
  });
  app.post('/after-post', express.urlencoded({ extended: false }), (_req, res) => res.redirect(303, '/echo'));
  app.post('/keep-post', express.urlencoded({ extended: false }), (_req, res) => res.redirect(307, '/posted'));
  app.post('/posted', express.urlencoded({ extended: false }), (req, res) => echo(req, res, new URLSearchParams(req.body as Record<string, string>).toString()));
  return app;
}

let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer(testSite());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

interface Seen {
  method: string;
  cookie: string;
  ua: string;
  site: string;
  origin: string;
  body: string;
}

const seen = (html: string): Seen => JSON.parse(/<pre id="seen">(.*)<\/pre>/.exec(html)?.[1] ?? '{}') as Seen;

describe('createInAppBrowser', () => {
  it('follows redirects itself, keeping the cookies each hop sets and sending the ones that apply', async () => {
    const browser = createInAppBrowser();
    const page = await browser.open(`${base}/set`);
    expect(page).toMatchObject({ status: 200, url: `${base}/echo`, redirects: [`${base}/set`] });
    const received = seen(page.html);
    expect(received.ua).toBe(WECHAT_IN_APP_USER_AGENT);
    // Sent: the Path=/ cookies, Max-Age in the future, Secure on a loopback host, Strict on a user-started navigation.
    expect(received.cookie.split('; ').sort()).toEqual(['a=1', 'loopbacksecure=6', 'short=4', 'strict=7']);
    expect(browser.cookies.all().find((cookie) => cookie.name === 'loopbacksecure')).toMatchObject({ httpOnly: true, secure: true, hostOnly: true });
  });

  it('Path scopes a cookie to its folder: /area/echo gets it, /areax/echo does not', async () => {
    const browser = createInAppBrowser();
    await browser.open(`${base}/set`);
    expect(seen((await browser.open(`${base}/area/echo`)).html).cookie).toContain('scoped=2');
    expect(seen((await browser.open(`${base}/areax/echo`)).html).cookie).not.toContain('scoped=2');
    // Longer paths first in the header, as browsers send them.
    expect(seen((await browser.open(`${base}/area/echo`)).html).cookie.startsWith('scoped=2; ')).toBe(true);
  });

  it('submits a form like a tap: its hidden inputs, the page\'s origin, then 303 becomes a GET', async () => {
    const browser = createInAppBrowser();
    const form = await browser.open(`${base}/form-page`);
    const after = await browser.submitForm(form, { name: 'decision', value: 'yes' });
    expect(after).toMatchObject({ status: 200, url: `${base}/echo`, redirects: [`${base}/after-post`] });
    expect(seen(after.html)).toMatchObject({ method: 'GET', site: 'same-origin' });
  });

  it('307 repeats the POST with its body and Origin', async () => {
    const browser = createInAppBrowser();
    const form = await browser.open(`${base}/form-page`);
    const after = await browser.submitForm(form, { name: 'decision', value: 'again' });
    expect(seen(after.html)).toMatchObject({ method: 'POST', body: 'decision=again', origin: base });
  });

  it('sends Sec-Fetch-Site none for a tap in the chat, and no form with a missing input is invented', async () => {
    const browser = createInAppBrowser();
    expect(seen((await browser.open(`${base}/echo`)).html).site).toBe('none');
    const form = await browser.open(`${base}/form-page`);
    await expect(browser.submitForm(form, { name: 'decision', value: 'maybe' })).rejects.toMatchObject({ code: 'WECHAT_SIMULATOR_NO_SUCH_FORM' });
  });

  it(`stops a redirect loop after ${MAX_REDIRECTS} hops, and does not follow a redirect out of http(s)`, async () => {
    const browser = createInAppBrowser();
    await expect(browser.open(`${base}/loop`)).rejects.toMatchObject({ code: 'WECHAT_SIMULATOR_TOO_MANY_REDIRECTS' });
    await expect(browser.open(`${base}/to-wechat-app`)).rejects.toMatchObject({ code: 'WECHAT_SIMULATOR_UNSUPPORTED_REDIRECT' });
  });

  it('plays a browser outside WeChat with another User-Agent', async () => {
    const safari = createInAppBrowser({ userAgent: MOBILE_SAFARI_USER_AGENT });
    expect(seen((await safari.open(`${base}/echo`)).html).ua).toBe(MOBILE_SAFARI_USER_AGENT);
  });
});

describe('createCookieJar', () => {
  const at = (url: string): URL => new URL(url);
  const sameSiteGet = { method: 'GET', isSameSite: true };

  it('forgets a Max-Age cookie when its time is up (Max-Age wins over Expires)', () => {
    let nowMs = Date.UTC(2025, 0, 1);
    const jar = createCookieJar(() => nowMs);
    jar.store(`sid=abc; Max-Age=60; Expires=${new Date(nowMs + 3_600_000).toUTCString()}`, at('https://app.example.com/'));
    expect(jar.cookieHeader(at('https://app.example.com/x'), sameSiteGet)).toBe('sid=abc');
    nowMs += 60_000;
    expect(jar.cookieHeader(at('https://app.example.com/x'), sameSiteGet)).toBe('');
  });

  it('a new value replaces the old one for the same name, host and path; Max-Age=0 deletes it', () => {
    const jar = createCookieJar();
    jar.store('sid=1; Path=/', at('https://app.example.com/login'));
    jar.store('sid=2; Path=/', at('https://app.example.com/login'));
    expect(jar.cookieHeader(at('https://app.example.com/'), sameSiteGet)).toBe('sid=2');
    jar.store('sid=; Path=/; Max-Age=0', at('https://app.example.com/'));
    expect(jar.all()).toEqual([]);
  });

  it('without Path a cookie belongs to the folder of the page that set it', () => {
    const jar = createCookieJar();
    jar.store('step=1', at('https://app.example.com/wechat/callback'));
    expect(jar.cookieHeader(at('https://app.example.com/wechat/next'), sameSiteGet)).toBe('step=1');
    expect(jar.cookieHeader(at('https://app.example.com/other'), sameSiteGet)).toBe('');
  });

  it('cookies belong to a host, not a port; Domain widens them to subdomains, but never to another site', () => {
    const jar = createCookieJar();
    jar.store('hostonly=1', at('https://a.example.com/'));
    jar.store('wide=2; Domain=.example.com', at('https://a.example.com/'));
    jar.store('foreign=3; Domain=evil.test', at('https://a.example.com/'));
    expect(jar.cookieHeader(at('https://a.example.com:8443/'), sameSiteGet)).toBe('hostonly=1; wide=2');
    expect(jar.cookieHeader(at('https://b.example.com/'), sameSiteGet)).toBe('wide=2');
    expect(jar.cookieHeader(at('https://evil.test/'), sameSiteGet)).toBe('');
  });

  it('Secure cookies need https (or a loopback host) to be set and to be sent', () => {
    const jar = createCookieJar();
    jar.store('s=1; Secure', at('http://app.example.com/'));
    expect(jar.all()).toEqual([]);
    jar.store('s=1; Secure', at('https://app.example.com/'));
    expect(jar.cookieHeader(at('http://app.example.com/'), sameSiteGet)).toBe('');
    expect(jar.cookieHeader(at('https://app.example.com/'), sameSiteGet)).toBe('s=1');
  });

  it('SameSite: cross-site, Strict stays home, Lax (the default) goes with a GET only, None (Secure) always', () => {
    const jar = createCookieJar();
    jar.store('strict=1; SameSite=Strict', at('https://app.example.com/'));
    jar.store('lax=2', at('https://app.example.com/'));
    jar.store('none=3; SameSite=None; Secure', at('https://app.example.com/'));
    jar.store('insecurenone=4; SameSite=None', at('https://app.example.com/'));
    const target = at('https://app.example.com/callback');
    expect(jar.cookieHeader(target, { method: 'GET', isSameSite: true })).toBe('strict=1; lax=2; none=3');
    expect(jar.cookieHeader(target, { method: 'GET', isSameSite: false })).toBe('lax=2; none=3');
    expect(jar.cookieHeader(target, { method: 'POST', isSameSite: false })).toBe('none=3');
  });
});
