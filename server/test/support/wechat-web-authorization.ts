import type { InAppBrowser, PageVisit } from '../../src/simulator/in-app-browser.js';
import type { WechatHarness } from './wechat-harness.js';

/**
 * A person's phone inside WeChat, against a harness: the simulator's in-app browser of `openid`
 * (its cookies, WeChat's User-Agent, known to the simulated authorization page), plus the one JSON
 * call the dashboard makes from the page (fetch, with the browser's cookies and Origin).
 */
export interface WechatPhone {
  browser: InAppBrowser;
  /** A same-origin fetch from a page of the app, as the dashboard's client makes it. */
  post(path: string, body: object): Promise<{ status: number; body: Record<string, unknown> }>;
  get(path: string): Promise<{ status: number; body: unknown }>;
  /** POST /sign-in-wechat-oauth, then follow WeChat's authorization page as far as it goes on its own. */
  startSignIn(body?: object): Promise<PageVisit>;
  /** The signed-in user, or null. */
  sessionUser(): Promise<{ id: string; name: string; image: string | null; email: string } | null>;
}

export function wechatPhone(harness: WechatHarness, openid: string, browser: InAppBrowser = harness.simulator.phone.browser(openid)): WechatPhone {
  const app = new URL(harness.baseUrl);
  async function call(method: 'GET' | 'POST', path: string, body?: object) {
    const url = new URL(path, app);
    const response = await fetch(url, {
      method,
      redirect: 'manual',
      headers: {
        origin: app.origin,
        'user-agent': browser.userAgent,
        cookie: browser.cookies.cookieHeader(url, { method, isSameSite: true }),
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    for (const setCookie of response.headers.getSetCookie()) browser.cookies.store(setCookie, url);
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  }
  const phone: WechatPhone = {
    browser,
    post: (path, body) => call('POST', path, body),
    get: (path) => call('GET', path),
    async startSignIn(body = {}) {
      const started = await phone.post('/api/auth/sign-in-wechat-oauth', body);
      if (started.status !== 200) throw new Error(`sign-in-wechat-oauth failed: ${started.status} ${JSON.stringify(started.body)}`);
      return browser.open(String(started.body.url));
    },
    async sessionUser() {
      const session = await call('GET', '/api/auth/get-session');
      return ((session.body as { user?: never } | null)?.user as never) ?? null;
    },
  };
  return phone;
}

/** The `error` a failed round trip ended with, from the final URL. */
export function errorOf(page: PageVisit): string | null {
  return new URL(page.url).searchParams.get('error');
}
