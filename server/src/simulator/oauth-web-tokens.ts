import { randomBytes } from 'node:crypto';
import type { OAuthGrant } from './oauth-codes.js';

/**
 * The user-level access tokens a code is exchanged for (网页授权 access_token). They are not the
 * app's access token: each belongs to one user and one scope, and only /sns/userinfo takes them.
 */

export const WEB_ACCESS_TOKEN_TTL_SECONDS = 7200;
/** Expired tokens are forgotten after this long: the map must not grow without end in a long dev session. */
const EXPIRED_TOKEN_MEMORY_MS = 24 * 60 * 60 * 1000;

export interface WebAccessToken extends OAuthGrant {
  accessToken: string;
  refreshToken: string;
  expiresAtMs: number;
}

export interface WebAccessTokenRegistry {
  issue(grant: OAuthGrant): WebAccessToken;
  /** The live token, or undefined when it is unknown or expired (both 40001 to WeChat's callers). */
  find(accessToken: string): WebAccessToken | undefined;
}

export function createWebAccessTokenRegistry(now: () => number): WebAccessTokenRegistry {
  const byAccessToken = new Map<string, WebAccessToken>();

  function forgetLongExpired(nowMs: number): void {
    for (const [value, token] of byAccessToken) {
      if (token.expiresAtMs + EXPIRED_TOKEN_MEMORY_MS < nowMs) byAccessToken.delete(value);
    }
  }

  return {
    issue(grant) {
      const nowMs = now();
      forgetLongExpired(nowMs);
      // Real ones are ~110 characters of [A-Za-z0-9_-], like the app's tokens.
      const token: WebAccessToken = {
        ...grant,
        accessToken: randomBytes(82).toString('base64url'),
        refreshToken: randomBytes(82).toString('base64url'),
        expiresAtMs: nowMs + WEB_ACCESS_TOKEN_TTL_SECONDS * 1000,
      };
      byAccessToken.set(token.accessToken, token);
      return token;
    },

    find(accessToken) {
      const token = byAccessToken.get(accessToken);
      return token && now() < token.expiresAtMs ? token : undefined;
    },
  };
}
