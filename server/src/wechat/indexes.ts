import type { DatabaseCapabilities } from '../db/capabilities.js';
import type { IndexDefinition } from '../db/indexes.js';
import { SCENE_COLLECTION } from './scenes/scene-store.js';
import { EXPIRED_SCENE_RETENTION_SECONDS } from './scenes/scene-store.js';
import { DEDUPE_COLLECTION } from './webhook/dedupe.js';
import { CLAIMS_COLLECTION } from '../db/claims.js';
import { SIGNAL_COLLECTION } from './scan-feed/scan-signals.js';
import { SIGNED_QUERY_COLLECTION } from './webhook/signed-query-ledger.js';
import { OAUTH_STATE_COLLECTION } from './oauth/oauth-states.js';

/**
 * TTL indexes where the database has them. Without them (FerretDB) expiry is
 * still enforced: every read checks expiresAt and a sweep deletes old records.
 */
export function wechatIndexes(capabilities: DatabaseCapabilities): IndexDefinition[] {
  const signals: IndexDefinition = { collection: SIGNAL_COLLECTION, key: { createdAt: 1 }, options: { name: 'signals_createdAt_idx' } };
  if (!capabilities.ttlIndexes) return [signals];
  return [
    signals,
    { collection: SCENE_COLLECTION, key: { expiresAt: 1 }, options: { name: 'scene_expiresAt_ttl', expireAfterSeconds: EXPIRED_SCENE_RETENTION_SECONDS } },
    { collection: DEDUPE_COLLECTION, key: { expiresAt: 1 }, options: { name: 'dedupe_expiresAt_ttl', expireAfterSeconds: 0 } },
    { collection: CLAIMS_COLLECTION, key: { expiresAt: 1 }, options: { name: 'claims_expiresAt_ttl', expireAfterSeconds: 0 } },
    { collection: SIGNED_QUERY_COLLECTION, key: { expiresAt: 1 }, options: { name: 'signed_queries_expiresAt_ttl', expireAfterSeconds: 0 } },
    { collection: OAUTH_STATE_COLLECTION, key: { expiresAt: 1 }, options: { name: 'oauth_states_expiresAt_ttl', expireAfterSeconds: 0 } },
  ];
}
