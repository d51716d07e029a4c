import type { ApiErrorCode } from '@wechat-login/shared';
import type { RequestHandler } from 'express';
import { sendError } from './error-response.js';

export const NON_CANONICAL_PATH = 'NON_CANONICAL_PATH' satisfies ApiErrorCode;

/** Bytes that must never arrive percent-encoded in an API path: each decodes into path syntax or into nothing printable. */
const FORBIDDEN_ESCAPES: ReadonlyMap<number, string> = new Map([
  [0x2e, 'an encoded "."'],
  [0x2f, 'an encoded "/"'],
  [0x5c, 'an encoded "\\"'],
  [0x25, 'an encoded "%" (double encoding)'],
]);

/** The path of a request target as the client wrote it: nothing decoded, no query. */
export function rawPathOf(requestTarget: string): string {
  const query = requestTarget.indexOf('?');
  return query === -1 ? requestTarget : requestTarget.slice(0, query);
}

/**
 * Why a raw path is not in the one form our routers and better-auth's agree
 * on, or undefined when it is. better-auth parses the path as a WHATWG URL,
 * which drops "." and ".." segments (also as %2e), reads "\" as "/", and so
 * routes "/api/auth/x/../sign-in/email" to sign-in, while Express and the
 * limiter see another path. A proxy in front may normalise differently again.
 * A single trailing slash is allowed (Express routes it like the path without).
 */
export function nonCanonicalReason(rawPath: string): string | undefined {
  if (!rawPath.startsWith('/') || rawPath.startsWith('//')) return 'the target is not a path starting with one "/"';
  if (rawPath.includes('\\')) return 'it contains "\\"';
  if (rawPath.includes('#')) return 'it contains "#"';
  if (rawPath.includes(';')) return 'it contains ";" (a path parameter some proxies strip)';
  for (let at = rawPath.indexOf('%'); at !== -1; at = rawPath.indexOf('%', at + 1)) {
    const hex = rawPath.slice(at + 1, at + 3);
    if (!/^[0-9A-Fa-f]{2}$/.test(hex)) return 'it contains a malformed percent-escape';
    const byte = Number.parseInt(hex, 16);
    if (byte < 0x20 || byte === 0x7f) return 'it contains an encoded control character';
    const forbidden = FORBIDDEN_ESCAPES.get(byte);
    if (forbidden) return `it contains ${forbidden}`;
  }
  const segments = rawPath.slice(1).split('/');
  for (const [index, segment] of segments.entries()) {
    if (segment === '.' || segment === '..') return 'it contains a "." or ".." segment';
    if (segment === '' && index < segments.length - 1) return 'it contains an empty segment ("//")';
  }
  return undefined;
}

/**
 * The path better-auth's router (better-call) will route the request to: it
 * builds a WHATWG URL from the origin and the raw target. Undefined when that
 * URL cannot be built (better-auth then fails too).
 */
export function routedPathOf(requestTarget: string): string | undefined {
  try {
    return new URL(`http://routing.invalid${requestTarget}`).pathname;
  } catch {
    return undefined;
  }
}

/**
 * The path below `base` that better-auth will route the request to, or ''
 * when it routes elsewhere: rate limits pick their rule from this, so a form
 * of a path that is let through still draws from that path's budget.
 */
export function routedPathBelow(base: string, requestTarget: string): string {
  const routed = routedPathOf(requestTarget);
  return routed !== undefined && isUnder(base, routed) ? routed.slice(base.length) : '';
}

/** True when a path, as written or as routed, is `base` or below it (case-insensitively, as Express matches). */
function isUnder(base: string, path: string | undefined): boolean {
  const lower = path?.toLowerCase();
  return lower === base || lower?.startsWith(`${base}/`) === true;
}

/**
 * Refuses, with 400 NON_CANONICAL_PATH and before anything else runs (rate
 * limits, better-auth, our routers), an /api request whose path is not
 * canonical. better-auth's paths answer in its `{code, message}`, ours in our
 * error shape. Nothing legitimate sends such paths: browsers and HTTP clients
 * resolve dot segments before sending.
 */
export function refuseNonCanonicalApiPaths(options: { apiBasePath: string; authBasePath: string }): RequestHandler {
  return (req, res, next) => {
    const target = req.originalUrl;
    const routed = routedPathOf(target);
    if (!isUnder(options.apiBasePath, req.path) && !isUnder(options.apiBasePath, routed)) return next();
    const reason = nonCanonicalReason(rawPathOf(target));
    if (!reason) return next();
    const message = `The request path is not canonical: ${reason}. Send it as a browser would, without dot segments, backslashes, empty segments or encoded separators.`;
    if (isUnder(options.authBasePath, req.path) || isUnder(options.authBasePath, routed)) {
      res.status(400).json({ code: NON_CANONICAL_PATH, message });
      return;
    }
    sendError(res, 400, NON_CANONICAL_PATH, message);
  };
}
