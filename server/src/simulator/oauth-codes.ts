import { randomInt } from 'node:crypto';

/**
 * The codes web authorization hands to redirect_uri, kept as WeChat keeps them: 32 characters
 * of [0-9a-zA-Z], good for one exchange within 5 minutes, bound to the app, the user and the scope.
 */

export type OAuthScope = 'snsapi_base' | 'snsapi_userinfo';

export const OAUTH_CODE_TTL_MS = 5 * 60 * 1000;
/** Used and expired codes are remembered this long (to tell 40163 from 40029), then forgotten. */
const SPENT_CODE_MEMORY_MS = 24 * 60 * 60 * 1000;
const CODE_ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const CODE_LENGTH = 32;

export interface OAuthGrant {
  appId: string;
  openid: string;
  scope: OAuthScope;
  /** 朋友圈快照页: the openid is a virtual one, and the page may not learn who is looking. */
  isSnapshotUser: boolean;
}

interface CodeRecord extends OAuthGrant {
  expiresAtMs: number;
  used: boolean;
}

/** The grant behind a code, or the WeChat errcode for why there is none. */
export type CodeRedemption = { grant: OAuthGrant } | { errcode: 40029 | 40163 };

export interface OAuthCodeRegistry {
  issue(grant: OAuthGrant): string;
  /** Spends the code: a second redemption of the same code is 40163. */
  redeem(code: string, appId: string): CodeRedemption;
}

export function randomOAuthCode(): string {
  let code = '';
  for (let index = 0; index < CODE_LENGTH; index += 1) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code;
}

export function createOAuthCodeRegistry(now: () => number): OAuthCodeRegistry {
  const records = new Map<string, CodeRecord>();

  function forgetLongSpent(nowMs: number): void {
    for (const [code, record] of records) {
      if (record.expiresAtMs + SPENT_CODE_MEMORY_MS < nowMs) records.delete(code);
    }
  }

  return {
    issue(grant) {
      const nowMs = now();
      forgetLongSpent(nowMs);
      const code = randomOAuthCode();
      records.set(code, { ...grant, expiresAtMs: nowMs + OAUTH_CODE_TTL_MS, used: false });
      return code;
    },

    redeem(code, appId) {
      const record = records.get(code);
      // A code of another app is as unknown to this one as a made-up code.
      if (!record || record.appId !== appId) return { errcode: 40029 };
      if (record.used) return { errcode: 40163 };
      if (now() >= record.expiresAtMs) return { errcode: 40029 };
      record.used = true;
      return { grant: { appId: record.appId, openid: record.openid, scope: record.scope, isSnapshotUser: record.isSnapshotUser } };
    },
  };
}
