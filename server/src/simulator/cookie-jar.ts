/**
 * The cookie store of the simulated phone's browser, after RFC 6265 and what Chromium (which
 * WeChat's XWEB is) does on top: cookies belong to a host, not a port; Path scopes them; Max-Age
 * wins over Expires; Secure ones need https (or a loopback host); SameSite defaults to Lax. Enough
 * to catch a server whose cookies a real phone would drop or withhold, without being a browser.
 */

export type SameSite = 'strict' | 'lax' | 'none';

export interface StoredCookie {
  readonly name: string;
  readonly value: string;
  /** Lower-cased host (host-only cookies) or the Domain attribute without its leading dot. */
  readonly domain: string;
  readonly hostOnly: boolean;
  readonly path: string;
  /** null: a session cookie, kept as long as the browser. */
  readonly expiresAtMs: number | null;
  readonly secure: boolean;
  readonly httpOnly: boolean;
  readonly sameSite: SameSite;
  readonly createdAtMs: number;
}

/** How a request is made, which decides whether SameSite cookies go with it. */
export interface CookieRequestContext {
  method: string;
  /** The navigation was started by the user or by a page of the same site as the target. */
  isSameSite: boolean;
}

export interface CookieJar {
  /** Reads one Set-Cookie header received from `url`; a cookie the browser would refuse is ignored. */
  store(setCookie: string, url: URL): void;
  /** The Cookie header for a top-level navigation to `url`, or '' when no cookie applies. */
  cookieHeader(url: URL, context: CookieRequestContext): string;
  /** The live cookies, for tests to look at. */
  all(): StoredCookie[];
}

const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['localhost', '127.0.0.1', '[::1]']);
const MAX_COOKIE_BYTES = 4096;

/** https, or a loopback host: where Chromium allows Secure cookies (and sends Sec-Fetch-*). */
export function isPotentiallyTrustworthy(url: URL): boolean {
  return url.protocol === 'https:' || LOOPBACK_HOSTS.has(url.hostname) || url.hostname.endsWith('.localhost');
}

function isIpAddress(host: string): boolean {
  return /^\d{1,3}(?:\.\d{1,3}){3}$/.test(host) || host.startsWith('[');
}

function domainMatches(host: string, domain: string): boolean {
  return host === domain || (!isIpAddress(host) && host.endsWith(`.${domain}`));
}

/** RFC 6265 5.1.4: /a matches /a, /a/ and /a/b, not /ab. */
function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || requestPath.charAt(cookiePath.length) === '/';
}

/** RFC 6265 5.1.4's default-path: the request path up to its last '/'. */
function defaultPath(url: URL): string {
  const path = url.pathname;
  const lastSlash = path.lastIndexOf('/');
  return lastSlash <= 0 ? '/' : path.slice(0, lastSlash);
}

interface ParsedAttributes {
  expiresAtMs: number | null;
  domain: string | null;
  path: string | null;
  secure: boolean;
  httpOnly: boolean;
  sameSite: SameSite;
}

function parseAttributes(parts: readonly string[], nowMs: number): ParsedAttributes {
  const parsed: ParsedAttributes = { expiresAtMs: null, domain: null, path: null, secure: false, httpOnly: false, sameSite: 'lax' };
  let maxAgeSeen = false;
  for (const part of parts) {
    const separator = part.indexOf('=');
    const key = (separator < 0 ? part : part.slice(0, separator)).trim().toLowerCase();
    const value = separator < 0 ? '' : part.slice(separator + 1).trim();
    if (key === 'max-age' && /^-?\d+$/.test(value)) {
      maxAgeSeen = true;
      const seconds = Number(value);
      parsed.expiresAtMs = seconds <= 0 ? 0 : nowMs + seconds * 1000;
    } else if (key === 'expires' && !maxAgeSeen) {
      const at = Date.parse(value);
      if (!Number.isNaN(at)) parsed.expiresAtMs = at;
    } else if (key === 'domain' && value !== '') parsed.domain = value.replace(/^\./, '').toLowerCase();
    else if (key === 'path') parsed.path = value.startsWith('/') ? value : null;
    else if (key === 'secure') parsed.secure = true;
    else if (key === 'httponly') parsed.httpOnly = true;
    else if (key === 'samesite') {
      const lowered = value.toLowerCase();
      if (lowered === 'strict' || lowered === 'lax' || lowered === 'none') parsed.sameSite = lowered;
    }
  }
  return parsed;
}

export function createCookieJar(now: () => number = Date.now): CookieJar {
  let cookies: StoredCookie[] = [];

  const isLive = (cookie: StoredCookie, nowMs: number): boolean => cookie.expiresAtMs === null || cookie.expiresAtMs > nowMs;
  const sameSlot = (a: StoredCookie, b: StoredCookie): boolean => a.name === b.name && a.domain === b.domain && a.path === b.path;

  return {
    store(setCookie, url) {
      if (Buffer.byteLength(setCookie) > MAX_COOKIE_BYTES) return;
      const [pair = '', ...attributeParts] = setCookie.split(';');
      const separator = pair.indexOf('=');
      if (separator < 0) return;
      const name = pair.slice(0, separator).trim();
      if (name === '') return;
      const nowMs = now();
      const attributes = parseAttributes(attributeParts, nowMs);
      const host = url.hostname.toLowerCase();
      // A Domain the request's host is not in would let one site set cookies for another.
      if (attributes.domain !== null && !domainMatches(host, attributes.domain)) return;
      if (attributes.secure && !isPotentiallyTrustworthy(url)) return;
      // Chromium refuses SameSite=None without Secure: it would go to every site in the clear.
      if (attributes.sameSite === 'none' && !attributes.secure) return;
      const domain = attributes.domain ?? host;
      const path = attributes.path ?? defaultPath(url);
      // A replaced cookie keeps its creation time, which orders the Cookie header.
      const replaced = cookies.find((existing) => existing.name === name && existing.domain === domain && existing.path === path);
      const cookie: StoredCookie = {
        name,
        value: pair.slice(separator + 1).trim(),
        domain,
        hostOnly: attributes.domain === null,
        path,
        expiresAtMs: attributes.expiresAtMs,
        secure: attributes.secure,
        httpOnly: attributes.httpOnly,
        sameSite: attributes.sameSite,
        createdAtMs: replaced?.createdAtMs ?? nowMs,
      };
      cookies = cookies.filter((existing) => !sameSlot(existing, cookie) && isLive(existing, nowMs));
      if (isLive(cookie, nowMs)) cookies.push(cookie);
    },

    cookieHeader(url, context) {
      const nowMs = now();
      const host = url.hostname.toLowerCase();
      const isSafeMethod = context.method === 'GET' || context.method === 'HEAD';
      return cookies
        .filter((cookie) => isLive(cookie, nowMs))
        .filter((cookie) => (cookie.hostOnly ? host === cookie.domain : domainMatches(host, cookie.domain)))
        .filter((cookie) => pathMatches(url.pathname, cookie.path))
        .filter((cookie) => !cookie.secure || isPotentiallyTrustworthy(url))
        .filter((cookie) => context.isSameSite || cookie.sameSite === 'none' || (cookie.sameSite === 'lax' && isSafeMethod))
        // Longer paths first, then older cookies first (RFC 6265 5.4 step 2).
        .sort((a, b) => b.path.length - a.path.length || a.createdAtMs - b.createdAtMs)
        .map((cookie) => `${cookie.name}=${cookie.value}`)
        .join('; ');
    },

    all() {
      const nowMs = now();
      return cookies.filter((cookie) => isLive(cookie, nowMs));
    },
  };
}
