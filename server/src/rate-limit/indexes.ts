import type { DatabaseCapabilities } from '../db/capabilities.js';
import type { IndexDefinition } from '../db/indexes.js';
import { RATE_LIMIT_COLLECTION } from './store.js';

/** Old windows expire by TTL where the database has it; otherwise a sweep deletes them. */
export function rateLimitIndexes(capabilities: DatabaseCapabilities): IndexDefinition[] {
  if (!capabilities.ttlIndexes) return [];
  return [{ collection: RATE_LIMIT_COLLECTION, key: { expiresAt: 1 }, options: { name: 'rate_limits_expiresAt_ttl', expireAfterSeconds: 0 } }];
}
