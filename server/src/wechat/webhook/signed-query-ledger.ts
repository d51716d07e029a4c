import { createHash } from 'node:crypto';
import type { Db } from 'mongodb';
import { OnceClaims } from '../../db/claims.js';
import { AppError } from '../../errors.js';
import type { SignedQuery } from '../inbound.js';

export const SIGNED_QUERY_COLLECTION = 'wechat_signed_queries';

/**
 * With the replay window off (0) a signed query never goes stale, so no retention is long enough;
 * a day covers WeChat's retries (seconds) and any clock skew generously, as for the dedupe records.
 * Turning the window off is the operator's choice to accept older queries.
 */
export const RETENTION_WITHOUT_WINDOW_SECONDS = 24 * 60 * 60;
/** Clocks of two instances may differ by this much; the record outlives its window by it. */
const CLOCK_MARGIN_SECONDS = 60;

/** `first` and `repeat` (the same body again: WeChat's retry) go on; `reused` (another body) is a replay. */
export type SignedQueryUse = 'first' | 'repeat' | 'reused';

/** What travelled under the signed query: a push's body, or the echostr of the URL verification. */
export interface SignedContent {
  kind: 'push' | 'url-verification';
  payload: string;
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * Each signed query (timestamp + nonce + signature) goes with one body. WeChat's plain
 * `signature` covers Token + timestamp + nonce only, so without this anyone who saw a signed query
 * (a log, a proxy) could post a body of their choosing under it while the timestamp is in the window;
 * the GET verification's `echostr` is not covered either. The first use is recorded with a SHA-256
 * of its content, as a once-only claim (an insert of a unique `_id`, so two instances or two racing
 * requests cannot both be first, on FerretDB too); concurrent claims share one insertMany.
 *
 * Safe mode needs none of this: msg_signature covers the Encrypt element, so a second body fails the
 * signature, and the same body again is WeChat's retry, which the dedupe and the scene's scan claim
 * make idempotent. Recording those pushes too would cost every push a write on FerretDB's
 * one-writer-at-a-time SQLite for no gain, so the webhook only calls this for plain-mode pushes and
 * the URL verification. The key is a hash: the signature itself is never stored.
 */
export class SignedQueryLedger {
  private readonly uses: OnceClaims;
  private readonly retentionMs: number;

  constructor(db: Db, options: { replayWindowSeconds: number; now?: () => number }) {
    this.uses = new OnceClaims(db, options.now, SIGNED_QUERY_COLLECTION);
    // Accepted while its timestamp is within the window of the clock: from timestamp − window to
    // timestamp + window, so up to twice the window after its first use.
    const retentionSeconds = options.replayWindowSeconds > 0 ? 2 * options.replayWindowSeconds + CLOCK_MARGIN_SECONDS : RETENTION_WITHOUT_WINDOW_SECONDS;
    this.retentionMs = retentionSeconds * 1000;
  }

  async use(query: SignedQuery, content: SignedContent): Promise<SignedQueryUse> {
    const key = sha256Hex(`${query.timestamp}\n${query.nonce}\n${query.signature}`);
    // The kind is part of the digest: a verification's query cannot carry a push, nor the reverse.
    const contentDigest = sha256Hex(`${content.kind}\n${content.payload}`);
    if (await this.uses.claim(key, this.retentionMs, { content: contentDigest })) return 'first';
    const earlier = await this.uses.read(key);
    // No live record although the claim was refused: it expired unswept, which only a query older
    // than its window (or a day, with the window off) can meet. Refused like any reuse.
    return earlier?.data.content === contentDigest ? 'repeat' : 'reused';
  }

  /** Throws 401 WECHAT_SIGNED_QUERY_REUSED unless this is the query's first use or a repeat of it. */
  async assertUsable(query: SignedQuery, content: SignedContent): Promise<void> {
    if ((await this.use(query, content)) !== 'reused') return;
    throw new AppError(
      401,
      'WECHAT_SIGNED_QUERY_REUSED',
      'This signed WeChat query was already used with different content; a replay of it is refused',
    );
  }

  async sweepExpired(): Promise<number> {
    return this.uses.sweepExpired();
  }
}
