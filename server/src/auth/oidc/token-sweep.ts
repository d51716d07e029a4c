import type { Db } from 'mongodb';
import type { DatabaseCapabilities } from '../../db/capabilities.js';
import type { IndexDefinition } from '../../db/indexes.js';
import { ADAPTER_CLAIMS_COLLECTION } from '../../db/once-only-adapter.js';

/** The provider's token collections (better-auth's model names, stored as is by the MongoDB adapter). */
export const OIDC_ACCESS_TOKEN_COLLECTION = 'oauthAccessToken';
export const OIDC_REFRESH_TOKEN_COLLECTION = 'oauthRefreshToken';

/**
 * How long a revoked or rotated refresh token is kept before its expiry: while it exists, presenting
 * it again is recognised as replay and revokes its family; after that it is only unknown (refused all
 * the same). A week covers a stolen token replayed days later without keeping every rotation for 30 days.
 */
export const REVOKED_REFRESH_TOKEN_KEEP_MS = 7 * 24 * 60 * 60_000;

/**
 * expiresAt indexes for the sweep; TTL indexes where the server has them (MongoDB), so rows go even
 * between sweeps. FerretDB v1 has none: the sweep does it all there.
 */
export function oidcTokenIndexes(capabilities: DatabaseCapabilities): IndexDefinition[] {
  const ttl = capabilities.ttlIndexes ? { expireAfterSeconds: 0 } : {};
  const suffix = capabilities.ttlIndexes ? 'ttl' : 'idx';
  return [
    { collection: OIDC_ACCESS_TOKEN_COLLECTION, key: { expiresAt: 1 }, options: { name: `oauthAccessToken_expiresAt_${suffix}`, ...ttl } },
    { collection: OIDC_REFRESH_TOKEN_COLLECTION, key: { expiresAt: 1 }, options: { name: `oauthRefreshToken_expiresAt_${suffix}`, ...ttl } },
    { collection: OIDC_REFRESH_TOKEN_COLLECTION, key: { revoked: 1 }, options: { name: 'oauthRefreshToken_revoked_idx', sparse: true } },
    { collection: ADAPTER_CLAIMS_COLLECTION, key: { expiresAt: 1 }, options: { name: `${ADAPTER_CLAIMS_COLLECTION}_expiresAt_${suffix}`, ...ttl } },
  ];
}

export interface OidcSweepResult {
  accessTokens: number;
  refreshTokens: number;
  claims: number;
}

/** Deletes expired access and refresh tokens, refresh tokens revoked long enough ago, and spent once-only claims. */
export async function sweepOidcTokens(db: Db, now: Date = new Date()): Promise<OidcSweepResult> {
  const revokedBefore = new Date(now.getTime() - REVOKED_REFRESH_TOKEN_KEEP_MS);
  const [accessTokens, refreshTokens, claims] = await Promise.all([
    db.collection(OIDC_ACCESS_TOKEN_COLLECTION).deleteMany({ expiresAt: { $lt: now } }),
    db.collection(OIDC_REFRESH_TOKEN_COLLECTION).deleteMany({ $or: [{ expiresAt: { $lt: now } }, { revoked: { $lt: revokedBefore } }] }),
    db.collection(ADAPTER_CLAIMS_COLLECTION).deleteMany({ expiresAt: { $lt: now } }),
  ]);
  return { accessTokens: accessTokens.deletedCount, refreshTokens: refreshTokens.deletedCount, claims: claims.deletedCount };
}
