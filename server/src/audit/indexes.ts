import type { DatabaseCapabilities } from '../db/capabilities.js';
import type { IndexDefinition } from '../db/indexes.js';
import { AUDIT_COLLECTION } from './types.js';

/**
 * The Activity page sorts newest first and filters by user (subject or actor)
 * or type; each filter has an index ending in `at`. Events past retention
 * expire by TTL where the database has it, otherwise by the periodic sweep.
 */
export function auditIndexes(capabilities: DatabaseCapabilities): IndexDefinition[] {
  const lists: IndexDefinition[] = [
    { collection: AUDIT_COLLECTION, key: { at: -1, _id: -1 }, options: { name: 'audit_at_idx' } },
    { collection: AUDIT_COLLECTION, key: { userId: 1, at: -1 }, options: { name: 'audit_userId_at_idx' } },
    { collection: AUDIT_COLLECTION, key: { actorId: 1, at: -1 }, options: { name: 'audit_actorId_at_idx' } },
    { collection: AUDIT_COLLECTION, key: { type: 1, at: -1 }, options: { name: 'audit_type_at_idx' } },
  ];
  if (!capabilities.ttlIndexes) return [...lists, { collection: AUDIT_COLLECTION, key: { expiresAt: 1 }, options: { name: 'audit_expiresAt_idx' } }];
  return [...lists, { collection: AUDIT_COLLECTION, key: { expiresAt: 1 }, options: { name: 'audit_expiresAt_ttl', expireAfterSeconds: 0 } }];
}
