import type { Collection, Db } from 'mongodb';
import type { OnceClaims } from '../../db/claims.js';
import type { Logger } from '../../logger.js';
import type { AccessTokenGrant, AccessTokenProvider } from './token-provider.js';

export const TOKEN_COLLECTION = 'wechat_access_tokens';

/** Refresh this long before WeChat's expiry, so no call ever carries an expiring token. */
const REFRESH_AHEAD_MS = 5 * 60 * 1000;
/** A refresher that dies blocks others at most this long; then the next attempt may claim. */
const LEASE_MS = 15_000;
/** How often a waiting instance looks for the token another instance is fetching. */
const WAIT_POLL_MS = 100;

interface StoredToken {
  _id: string;
  accessToken: string | null;
  expiresAt: Date;
  /** Bumped by every refresh and invalidation: refresh claims are per generation. */
  generation: number;
}

export type FetchAccessToken = () => Promise<AccessTokenGrant>;

/**
 * The access token of one Official Account, shared by every instance through
 * MongoDB. WeChat invalidates a token some minutes after a new one is issued,
 * so instances must not each fetch their own: for each token generation one
 * instance wins a claim (a unique insert, atomic even on FerretDB) and
 * refreshes; the others use the stored token or wait for the new one.
 * Within a process, concurrent callers share one read and one refresh.
 */
export class MongoAccessTokenStore implements AccessTokenProvider {
  private readonly tokens: Collection<StoredToken>;
  private cached: { token: string; expiresAtMs: number } | null = null;
  private inFlight: Promise<string> | null = null;

  constructor(
    db: Db,
    private readonly claims: OnceClaims,
    private readonly appId: string,
    private readonly fetchToken: FetchAccessToken,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = db.collection<StoredToken>(TOKEN_COLLECTION);
  }

  async getAccessToken(): Promise<string> {
    if (this.cached && this.cached.expiresAtMs - REFRESH_AHEAD_MS > this.now()) return this.cached.token;
    this.inFlight ??= this.loadOrRefresh().finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  async invalidate(staleToken: string): Promise<void> {
    if (this.cached?.token === staleToken) this.cached = null;
    await this.tokens.updateOne({ _id: this.appId, accessToken: staleToken }, { $set: { expiresAt: new Date(0) }, $inc: { generation: 1 } });
    this.logger.warn('[WeChat MP] access token rejected by WeChat; it will be refreshed');
  }

  private async loadOrRefresh(): Promise<string> {
    const deadline = this.now() + 2 * LEASE_MS;
    for (;;) {
      const stored = await this.tokens.findOne({ _id: this.appId });
      const expiresAtMs = stored?.expiresAt.getTime() ?? 0;
      if (stored?.accessToken && expiresAtMs - REFRESH_AHEAD_MS > this.now()) return this.remember(stored.accessToken, expiresAtMs);
      if (await this.claimRefresh(stored?.generation ?? 0)) return this.refresh();
      // Someone else is refreshing. A token still valid (just inside the
      // refresh-ahead window) is fine meanwhile; otherwise wait for theirs.
      if (stored?.accessToken && expiresAtMs > this.now()) return stored.accessToken;
      if (this.now() > deadline) throw new Error('timed out waiting for another instance to refresh the WeChat access token');
      await new Promise((resolve) => setTimeout(resolve, WAIT_POLL_MS));
    }
  }

  /** One claim per generation; a claim older than the lease (its holder died) lets the next attempt in. */
  private async claimRefresh(generation: number): Promise<boolean> {
    for (let attempt = 0; attempt < 100; attempt += 1) {
      const key = `token-refresh:${this.appId}:${generation}:${attempt}`;
      if (await this.claims.claim(key, 24 * 60 * 60 * 1000)) return true;
      const existing = await this.claims.read(key);
      if (existing && this.now() - existing.createdAt.getTime() < LEASE_MS) return false;
    }
    return false;
  }

  private async refresh(): Promise<string> {
    const grant = await this.fetchToken();
    const expiresAtMs = this.now() + grant.expiresInSeconds * 1000;
    await this.tokens.updateOne(
      { _id: this.appId },
      { $set: { accessToken: grant.accessToken, expiresAt: new Date(expiresAtMs) }, $inc: { generation: 1 } },
      { upsert: true },
    );
    this.logger.info({ expiresInSeconds: grant.expiresInSeconds }, '[WeChat MP] access token refreshed and shared through the database');
    return this.remember(grant.accessToken, expiresAtMs);
  }

  private remember(token: string, expiresAtMs: number): string {
    this.cached = { token, expiresAtMs };
    return token;
  }
}
