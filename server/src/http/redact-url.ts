import { isSecretKey, isSecretValue } from '../secret-words.js';

/**
 * What the logs (and the audit trail) keep of a URL: the path and every query parameter's name,
 * with the value replaced where it could be replayed or names someone. In plain mode WeChat's
 * `signature` covers only Token + timestamp + nonce, never the body, so a logged webhook query
 * would let anyone who reads the logs post a body of their choosing under it; the confirmation
 * link's `t` answers a scan on the phone's behalf.
 */

export const REDACTED = '[redacted]';

/**
 * Parameters whose values are one-time, signed or identifying: WeChat's signed query
 * (`signature`, `msg_signature`, `nonce`, and `echostr`, which the verification echoes), the
 * `openid` WeChat adds to pushes, the confirmation link's token `t`, OAuth's `code` and
 * `state`, a QR `ticket`. Anything else whose name looks secret (`access_token`, `secret`, ...)
 * is caught by the shared secret-word rule.
 */
const REDACTED_QUERY_NAMES = new Set(['signature', 'msg_signature', 'echostr', 'nonce', 'openid', 't', 'code', 'state', 'ticket']);

/** A kept value longer than this is cut: a log line is no place for a 10 kB parameter. */
const MAX_KEPT_VALUE_LENGTH = 100;

/** The name as a server would read it: percent-decoded, `+` as space, without a `[...]` suffix, lower case. */
function readableName(rawName: string): string {
  let name = rawName.replace(/\+/g, ' ');
  try {
    name = decodeURIComponent(name);
  } catch {
    // Kept as written: an undecodable name is compared in its raw form.
  }
  return name;
}

function isRedactedName(rawName: string): boolean {
  const name = readableName(rawName);
  const base = name.split('[')[0]!.trim().toLowerCase();
  return REDACTED_QUERY_NAMES.has(base) || isSecretKey(name);
}

function readableValue(rawValue: string): string {
  try {
    return decodeURIComponent(rawValue.replace(/\+/g, ' '));
  } catch {
    return rawValue;
  }
}

function cut(text: string): string {
  return text.length <= MAX_KEPT_VALUE_LENGTH ? text : `${text.slice(0, MAX_KEPT_VALUE_LENGTH)}…`;
}

function redactPair(pair: string): string {
  const equals = pair.indexOf('=');
  if (equals === -1) return cut(pair);
  const rawName = pair.slice(0, equals);
  const rawValue = pair.slice(equals + 1);
  if (rawValue === '') return pair;
  if (isRedactedName(rawName) || isSecretValue(readableValue(rawValue))) return `${cut(rawName)}=${REDACTED}`;
  return `${cut(rawName)}=${cut(rawValue)}`;
}

/** A query string (without its `?`) with every sensitive value replaced; names and order kept. */
export function redactQuery(query: string): string {
  return query.split('&').map(redactPair).join('&');
}

/**
 * `/path?signature=…&timestamp=1714037059&nonce=…` → `/path?signature=[redacted]&timestamp=1714037059&nonce=[redacted]`.
 * Works on a path with a query or a whole URL; a fragment is dropped whole (it can carry tokens too).
 */
export function redactUrl(url: string): string {
  const hashAt = url.indexOf('#');
  const withoutFragment = hashAt === -1 ? url : url.slice(0, hashAt);
  const fragment = hashAt === -1 ? '' : `#${REDACTED}`;
  const queryAt = withoutFragment.indexOf('?');
  if (queryAt === -1) return `${withoutFragment}${fragment}`;
  return `${withoutFragment.slice(0, queryAt)}?${redactQuery(withoutFragment.slice(queryAt + 1))}${fragment}`;
}

/** A query inside free text: `?` then anything up to whitespace, a quote or an angle bracket. */
const QUERY_IN_TEXT = /\?[^\s"'<>`]+/g;

/** Every URL query inside a message (better-auth's "Invalid callbackURL: https://…?code=…") redacted the same way. */
export function redactUrlsInText(text: string): string {
  return text.replace(QUERY_IN_TEXT, (query) => {
    const hashAt = query.indexOf('#');
    return hashAt === -1 ? `?${redactQuery(query.slice(1))}` : `?${redactQuery(query.slice(1, hashAt))}#${REDACTED}`;
  });
}
