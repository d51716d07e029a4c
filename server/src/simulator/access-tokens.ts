import { randomBytes } from 'node:crypto';

/**
 * Access tokens the way WeChat hands them out:
 * - /cgi-bin/token issues a new token on every call; the previous one keeps working for
 *   5 minutes, then fails with 40001. (So two servers fetching their own tokens break each other.)
 * - /cgi-bin/stable_token returns the same token while it has more than 5 minutes left, else a new
 *   one (the old one lives out its time). force_refresh issues a new one and gives the previous
 *   stable token the same 5-minute grace. The two kinds are independent of each other.
 */

export const SUPERSEDED_TOKEN_GRACE_MS = 5 * 60 * 1000;
/** stable_token renews this long before expiry. */
const STABLE_TOKEN_RENEW_BEFORE_MS = 5 * 60 * 1000;
/** Expired tokens are remembered this long (to answer 42001 rather than 40001), then forgotten. */
const EXPIRED_TOKEN_MEMORY_MS = 24 * 60 * 60 * 1000;

type TokenKind = 'token' | 'stable';

interface TokenRecord {
  value: string;
  kind: TokenKind;
  expiresAtMs: number;
  /** Set when a newer token of the same kind replaced it. */
  invalidAfterMs?: number;
}

export interface IssuedToken {
  accessToken: string;
  expiresInSeconds: number;
}

/** Why a token is refused: the WeChat errcode, or null when it is good. */
export type TokenRefusal = 40001 | 41001 | 42001 | null;

export interface AccessTokenRegistry {
  issueToken(): IssuedToken;
  issueStableToken(forceRefresh: boolean): IssuedToken;
  check(accessToken: string | undefined): TokenRefusal;
  revokeAll(): void;
}

export function createAccessTokenRegistry(now: () => number, ttlSeconds: number): AccessTokenRegistry {
  const records = new Map<string, TokenRecord>();
  const latest = new Map<TokenKind, TokenRecord>();

  function forgetLongExpired(nowMs: number): void {
    for (const [value, record] of records) {
      if (record.expiresAtMs + EXPIRED_TOKEN_MEMORY_MS < nowMs) records.delete(value);
    }
  }

  function issue(kind: TokenKind, supersedePrevious: boolean): IssuedToken {
    const nowMs = now();
    forgetLongExpired(nowMs);
    const previous = latest.get(kind);
    if (previous && supersedePrevious) {
      const graceEndMs = nowMs + SUPERSEDED_TOKEN_GRACE_MS;
      previous.invalidAfterMs = Math.min(previous.invalidAfterMs ?? graceEndMs, graceEndMs);
    }
    // Real tokens are 130-160 characters of [A-Za-z0-9_-].
    const record: TokenRecord = { value: randomBytes(102).toString('base64url'), kind, expiresAtMs: nowMs + ttlSeconds * 1000 };
    records.set(record.value, record);
    latest.set(kind, record);
    return { accessToken: record.value, expiresInSeconds: ttlSeconds };
  }

  return {
    issueToken: () => issue('token', true),

    issueStableToken(forceRefresh) {
      const current = latest.get('stable');
      const remainingMs = current ? current.expiresAtMs - now() : 0;
      if (!forceRefresh && current && records.has(current.value) && remainingMs > STABLE_TOKEN_RENEW_BEFORE_MS) {
        return { accessToken: current.value, expiresInSeconds: Math.floor(remainingMs / 1000) };
      }
      return issue('stable', forceRefresh);
    },

    check(accessToken) {
      if (!accessToken) return 41001;
      const record = records.get(accessToken);
      if (!record) return 40001;
      const nowMs = now();
      if (nowMs >= record.expiresAtMs) return 42001;
      if (record.invalidAfterMs !== undefined && nowMs >= record.invalidAfterMs) return 40001;
      return null;
    },

    revokeAll() {
      records.clear();
      latest.clear();
    },
  };
}
