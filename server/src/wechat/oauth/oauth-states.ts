import { createHash, randomBytes } from 'node:crypto';
import type { Collection, Db } from 'mongodb';
import type { OnceClaims } from '../../db/claims.js';
import { hashBindingSecret } from '../scenes/scene.js';
import { OAUTH_STATE_PATTERN } from './authorize-url.js';

export const OAUTH_STATE_COLLECTION = 'wechat_oauth_states';
/** Ten minutes to pass through WeChat's authorization page (WeChat's code itself lives five). */
export const OAUTH_STATE_TTL_MS = 10 * 60_000;

/** Why this round trip through WeChat was started, and what it needs when it comes back. */
export type OAuthStatePurpose =
  | { kind: 'login'; strategy: 'base' | 'userinfo' | 'auto'; askedForProfile: boolean }
  | { kind: 'bind'; userId: string }
  | { kind: 'confirm'; sceneId: string; returnTo: string };

/** Same-origin paths to send the browser to afterwards (checked before they are stored). */
export interface OAuthRedirects {
  callbackURL: string;
  newUserCallbackURL: string;
  errorCallbackURL: string;
}

export interface OAuthStateDocument {
  /** SHA-256 of the state: a database dump does not hand out live states. */
  _id: string;
  /** SHA-256 of the browser's binding cookie: only the browser that started may finish. */
  browserHash: string;
  purpose: OAuthStatePurpose;
  redirects: OAuthRedirects;
  createdAt: Date;
  expiresAt: Date;
}

export type ConsumedOAuthState =
  | { ok: true; state: OAuthStateDocument }
  /** `state` is known (for where to send the browser) unless the value was unknown or already used. */
  | { ok: false; code: 'WECHAT_OAUTH_STATE_INVALID' | 'WECHAT_OAUTH_STATE_EXPIRED' | 'WECHAT_OAUTH_STATE_MISMATCH'; state: OAuthStateDocument | null };

/** 32 characters of [0-9a-f]: 128 bits, inside WeChat's 128 bytes of [a-zA-Z0-9]. */
function newStateValue(): string {
  return randomBytes(16).toString('hex');
}

function hashState(state: string): string {
  return createHash('sha256').update(state).digest('hex');
}

/**
 * The `state` of web authorization: random, single-use, bound to the browser that started (the
 * same HttpOnly binding cookie a QR code is bound to), dead after ten minutes. In the database every
 * instance shares; single use is a once-only claim, because FerretDB runs a conditional delete as
 * find-then-write and two racing callbacks could both "win" it.
 */
export class OAuthStateStore {
  private readonly states: Collection<OAuthStateDocument>;

  constructor(
    db: Db,
    private readonly claims: OnceClaims,
    private readonly now: () => number = Date.now,
  ) {
    this.states = db.collection<OAuthStateDocument>(OAUTH_STATE_COLLECTION);
  }

  async issue(input: { bindingSecret: string; purpose: OAuthStatePurpose; redirects: OAuthRedirects }): Promise<string> {
    const state = newStateValue();
    const createdAt = new Date(this.now());
    await this.states.insertOne({
      _id: hashState(state),
      browserHash: hashBindingSecret(input.bindingSecret),
      purpose: input.purpose,
      redirects: input.redirects,
      createdAt,
      expiresAt: new Date(createdAt.getTime() + OAUTH_STATE_TTL_MS),
    });
    return state;
  }

  /**
   * The state, used up. Another browser's callback does not use it up (a stolen state must not let
   * its thief cancel the owner's sign-in); a reused, unknown or malformed one is INVALID.
   */
  async consume(state: unknown, bindingSecret: string | undefined): Promise<ConsumedOAuthState> {
    if (typeof state !== 'string' || !OAUTH_STATE_PATTERN.test(state)) return { ok: false, code: 'WECHAT_OAUTH_STATE_INVALID', state: null };
    const id = hashState(state);
    const found = await this.states.findOne({ _id: id });
    if (!found) return { ok: false, code: 'WECHAT_OAUTH_STATE_INVALID', state: null };
    if (!bindingSecret || hashBindingSecret(bindingSecret) !== found.browserHash) return { ok: false, code: 'WECHAT_OAUTH_STATE_MISMATCH', state: found };
    if (found.expiresAt.getTime() <= this.now()) return { ok: false, code: 'WECHAT_OAUTH_STATE_EXPIRED', state: found };
    if (!(await this.claims.claim(`oauth-state:${id}`, OAUTH_STATE_TTL_MS))) return { ok: false, code: 'WECHAT_OAUTH_STATE_INVALID', state: null };
    await this.states.deleteOne({ _id: id });
    return { ok: true, state: found };
  }

  async sweepExpired(): Promise<number> {
    return (await this.states.deleteMany({ expiresAt: { $lt: new Date(this.now()) } })).deletedCount;
  }
}
