import { isIP } from 'node:net';

/** Express's `trust proxy` as we allow it: off, a hop count, or a comma-separated list of names, addresses and CIDRs. */
export type TrustProxySetting = false | number | string;

export type TrustProxyParse = { ok: true; setting: TrustProxySetting } | { ok: false; message: string };

/** proxy-addr's names for address ranges (Express passes them through). */
const RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * More hops than any real chain of proxies (CDN, load balancer, ingress) has:
 * the extra ones would be entries the client wrote into X-Forwarded-For itself.
 */
export const MAX_TRUSTED_HOPS = 10;

const WHAT_TO_SET = "set 1 behind one reverse proxy (a hop count), or the proxy's address or CIDR (e.g. 10.0.0.0/8, or loopback for a proxy on this host)";
const expected = (got: string) => `expected a hop count, loopback, linklocal, uniquelocal, or IP addresses/CIDRs separated by commas, got "${got}": ${WHAT_TO_SET}`;

/** Refused because it trusts X-Forwarded-For entries the client writes, so any client could name its own IP. */
function trustsClients(what: string): TrustProxyParse {
  return { ok: false, message: `${what} trusts X-Forwarded-For entries the client writes itself, so any client could choose the IP that rate limits count and the phone shows: ${WHAT_TO_SET}` };
}

/**
 * Reads TRUST_PROXY. `true` (and what amounts to it: a /0 range, a huge hop
 * count) is refused, because Express would then take the leftmost
 * X-Forwarded-For entry, which the client writes. Entries are checked here,
 * strictly, so a typo stops the start with one line instead of trusting
 * nothing or crashing inside proxy-addr.
 */
export function parseTrustProxy(raw: string): TrustProxyParse {
  const value = raw.trim().toLowerCase();
  if (value === '' || value === 'false') return { ok: true, setting: false };
  if (value === 'true') return trustsClients('"true"');
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    if (hops > MAX_TRUSTED_HOPS) return trustsClients(`a hop count above ${MAX_TRUSTED_HOPS} (${value})`);
    return { ok: true, setting: hops === 0 ? false : hops };
  }
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (entries.length === 0) return { ok: false, message: expected(raw.trim()) };
  for (const entry of entries) {
    const problem = entryProblem(entry);
    if (problem === 'everyone') return trustsClients(`"${entry}"`);
    if (problem) return { ok: false, message: expected(entry) };
  }
  return { ok: true, setting: entries.join(',') };
}

/** Why one list entry is refused: not a name, address or CIDR, or a range holding every address. */
function entryProblem(entry: string): 'invalid' | 'everyone' | undefined {
  if (RANGE_NAMES.has(entry)) return undefined;
  const [address = '', prefix, ...rest] = entry.split('/');
  // isIP accepts IPv6 zone ids ("fe80::1%eth0"), which proxy-addr cannot compare.
  const family = address.includes('%') || rest.length > 0 ? 0 : isIP(address);
  if (family === 0) return 'invalid';
  if (prefix === undefined) return undefined;
  if (!/^\d{1,3}$/.test(prefix) || Number(prefix) > (family === 4 ? 32 : 128)) return 'invalid';
  return Number(prefix) === 0 ? 'everyone' : undefined;
}
