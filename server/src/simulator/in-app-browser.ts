import { AppError } from '../errors.js';
import { createCookieJar, isPotentiallyTrustworthy, type CookieJar } from './cookie-jar.js';
import { identityCookiePathOf, WECHAT_IDENTITY_COOKIE } from './wechat-identity-cookie.js';

/**
 * WeChat's in-app browser, as far as the simulated phone needs it: the links a text reply
 * carries, opening one, and submitting one of the page's forms as a person tapping a button
 * would. It keeps cookies and follows redirects itself (so a page may pass through WeChat's
 * authorization and come back), and it is signed in to WeChat as one user. Pages are read with
 * a few patterns, which is enough for the plain forms of a confirmation or consent page.
 */

/** What WeChat's in-app browser sends (Android, WeChat 8). */
export const WECHAT_IN_APP_USER_AGENT =
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/130.0.6723.103 Mobile Safari/537.36 XWEB/1300289 MMWEBSDK/20241103 MicroMessenger/8.0.55.2780(0x28003737) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64';

/** A phone's own browser, outside WeChat: for the pages that must tell the two apart. */
export const MOBILE_SAFARI_USER_AGENT =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1';

/** Chromium's limit; a loop fails the test instead of spinning. */
export const MAX_REDIRECTS = 10;

const LINK_PATTERN = /<a href="([^"]+)">([^<]*)<\/a>/g;
const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

export interface ReplyLink {
  href: string;
  text: string;
}

/** The `<a href>` links of a text reply, as WeChat shows them: only http(s) ones are tappable. */
export function linksInReply(content: string): ReplyLink[] {
  return [...content.matchAll(LINK_PATTERN)].map((match) => ({ href: match[1]!, text: match[2]! })).filter((link) => /^https?:\/\//.test(link.href));
}

export interface PageVisit {
  status: number;
  /** The final URL, after redirects. */
  url: string;
  html: string;
  /** The URLs that answered with a redirect on the way, in order. */
  redirects: string[];
}

export interface InAppBrowserOptions {
  /** The WeChat user signed in to the app: authorization pages know them without asking. */
  openid?: string;
  /** Where the simulator is reachable (its identity cookie lives there); needed with `openid`. */
  simulatorBaseUrl?: () => string;
  /** Default: WeChat's. MOBILE_SAFARI_USER_AGENT plays a browser outside WeChat. */
  userAgent?: string;
  acceptLanguage?: string;
  /** The phone's clock, for cookie expiry. */
  now?: () => number;
}

export interface InAppBrowser {
  readonly userAgent: string;
  readonly cookies: CookieJar;
  /** Opens a URL as a tap on a link in the chat does. */
  open(url: string, options?: { acceptLanguage?: string }): Promise<PageVisit>;
  /**
   * Submits the form of `page` that has a hidden input `name=value` (e.g. decision=confirm),
   * with all its hidden inputs, like a tap on its button.
   */
  submitForm(page: PageVisit, match: { name: string; value: string }, options?: { acceptLanguage?: string }): Promise<PageVisit>;
}

interface Navigation {
  url: URL;
  method: 'GET' | 'POST';
  body?: URLSearchParams;
  /** The page that started it; null when the user did (a tap in the chat). */
  initiator: URL | null;
  acceptLanguage: string;
}

/** Schemeful site, roughly: scheme + the last two labels (the address itself for IPs and localhost). */
function siteOf(url: URL): string {
  const host = url.hostname;
  const isAddress = /^\d{1,3}(?:\.\d{1,3}){3}$/.test(host) || host.startsWith('[');
  return `${url.protocol}//${isAddress ? host : host.split('.').slice(-2).join('.')}`;
}

/** Sec-Fetch-Site of a navigation, given every URL it has visited so far (Fetch Metadata). */
function fetchSite(initiator: URL | null, urlList: readonly URL[]): string {
  if (initiator === null) return 'none';
  if (urlList.every((url) => url.origin === initiator.origin)) return 'same-origin';
  return urlList.every((url) => siteOf(url) === siteOf(initiator)) ? 'same-site' : 'cross-site';
}

function hiddenInputs(formHtml: string): Array<[string, string]> {
  return [...formHtml.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((input) => [decodeEntities(input[1]!), decodeEntities(input[2]!)]);
}

function decodeEntities(text: string): string {
  return text.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function withoutFragment(url: URL): URL {
  const copy = new URL(url.href);
  copy.hash = '';
  return copy;
}

export function createInAppBrowser(options: InAppBrowserOptions = {}): InAppBrowser {
  const userAgent = options.userAgent ?? WECHAT_IN_APP_USER_AGENT;
  const defaultLanguage = options.acceptLanguage ?? 'zh-CN,zh;q=0.9';
  const cookies = createCookieJar(options.now);
  let isSignedInToWechat = false;

  /** Hands the simulator's identity cookie to the jar, once the simulator's address is known. */
  function signInToWechat(): void {
    if (isSignedInToWechat || options.openid === undefined || options.simulatorBaseUrl === undefined) return;
    const base = new URL(options.simulatorBaseUrl());
    cookies.store(`${WECHAT_IDENTITY_COOKIE}=${options.openid}; Path=${identityCookiePathOf(base.href)}; HttpOnly; SameSite=Lax`, base);
    isSignedInToWechat = true;
  }

  function requestHeaders(navigation: Navigation, urlList: readonly URL[]): Record<string, string> {
    const isSameSite = navigation.initiator === null || siteOf(navigation.initiator) === siteOf(navigation.url);
    const headers: Record<string, string> = { 'user-agent': userAgent, 'accept-language': navigation.acceptLanguage, accept: 'text/html' };
    const cookie = cookies.cookieHeader(navigation.url, { method: navigation.method, isSameSite });
    if (cookie) headers.cookie = cookie;
    if (isPotentiallyTrustworthy(navigation.url)) {
      Object.assign(headers, { 'sec-fetch-site': fetchSite(navigation.initiator, urlList), 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document', 'sec-fetch-user': '?1' });
    }
    if (navigation.method === 'POST') {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      if (navigation.initiator) headers.origin = navigation.initiator.origin;
    }
    return headers;
  }

  /** One navigation, redirects followed by hand: cookies are stored and sent at every hop. */
  async function navigate(start: Navigation): Promise<PageVisit> {
    signInToWechat();
    let navigation = { ...start, url: withoutFragment(start.url) };
    const urlList: URL[] = [];
    const redirects: string[] = [];
    for (;;) {
      urlList.push(navigation.url);
      const response = await fetch(navigation.url, {
        method: navigation.method,
        headers: requestHeaders(navigation, urlList),
        redirect: 'manual',
        ...(navigation.body ? { body: navigation.body } : {}),
      });
      for (const setCookie of response.headers.getSetCookie()) cookies.store(setCookie, navigation.url);
      const location = response.headers.get('location');
      if (!REDIRECT_STATUSES.has(response.status) || location === null) {
        return { status: response.status, url: navigation.url.href, html: await response.text(), redirects };
      }
      await response.arrayBuffer();
      redirects.push(navigation.url.href);
      if (redirects.length > MAX_REDIRECTS) throw new AppError(508, 'WECHAT_SIMULATOR_TOO_MANY_REDIRECTS', `More than ${MAX_REDIRECTS} redirects, the last to ${location}`);
      const next = new URL(location, navigation.url);
      if (next.protocol !== 'http:' && next.protocol !== 'https:') throw new AppError(502, 'WECHAT_SIMULATOR_UNSUPPORTED_REDIRECT', `A redirect to ${next.protocol} cannot be followed`);
      // 303, and 301/302 after a POST, become a GET without a body (as every browser does); 307/308 repeat the request.
      const keepsMethod = response.status === 307 || response.status === 308;
      navigation = keepsMethod ? { ...navigation, url: withoutFragment(next) } : { url: withoutFragment(next), method: 'GET', initiator: navigation.initiator, acceptLanguage: navigation.acceptLanguage };
    }
  }

  return {
    userAgent,
    cookies,

    async open(url, openOptions = {}) {
      return navigate({ url: new URL(url), method: 'GET', initiator: null, acceptLanguage: openOptions.acceptLanguage ?? defaultLanguage });
    },

    async submitForm(page, match, submitOptions = {}) {
      const form = [...page.html.matchAll(/<form method="post" action="([^"]*)">([\s\S]*?)<\/form>/g)].find((candidate) =>
        hiddenInputs(candidate[2]!).some(([name, value]) => name === match.name && value === match.value),
      );
      if (!form) throw new AppError(404, 'WECHAT_SIMULATOR_NO_SUCH_FORM', `The page has no form with ${match.name}=${match.value}`);
      const pageUrl = new URL(page.url);
      return navigate({
        url: new URL(decodeEntities(form[1]!), pageUrl),
        method: 'POST',
        body: new URLSearchParams(hiddenInputs(form[2]!)),
        initiator: pageUrl,
        acceptLanguage: submitOptions.acceptLanguage ?? defaultLanguage,
      });
    },
  };
}
