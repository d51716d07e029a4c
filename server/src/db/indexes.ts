import type { Db, IndexSpecification, CreateIndexesOptions } from 'mongodb';
import type { DatabaseCapabilities } from './capabilities.js';
import type { Logger } from '../logger.js';

export interface IndexDefinition {
  collection: string;
  key: IndexSpecification;
  options: CreateIndexesOptions & { name: string };
}

/**
 * Indexes the code relies on for correctness, created (and awaited) at
 * start-up. better-auth's adapter creates its own in the background, but the
 * admin bootstrap must not race an index that is still being built.
 * Names match the adapter's so both describe the same index.
 */
export function authIndexes(capabilities: DatabaseCapabilities): IndexDefinition[] {
  return [
    { collection: 'user', key: { email: 1 }, options: { name: 'user_email_uidx', unique: true } },
    capabilities.partialIndexes
      ? {
          collection: 'user',
          key: { username: 1 },
          options: { name: 'user_username_uidx', unique: true, partialFilterExpression: { username: { $gte: '' } } },
        }
      : // FerretDB has no partial indexes; a sparse one still skips users without a username.
        { collection: 'user', key: { username: 1 }, options: { name: 'user_username_sparse_uidx', unique: true, sparse: true } },
    { collection: 'account', key: { providerId: 1, accountId: 1 }, options: { name: 'account_provider_account_idx' } },
    { collection: 'account', key: { userId: 1 }, options: { name: 'account_userId_idx' } },
    { collection: 'session', key: { userId: 1 }, options: { name: 'session_userId_idx' } },
  ];
}

/** Creates each index; a refusal is logged once and start-up goes on. */
export async function ensureIndexes(db: Db, definitions: IndexDefinition[], logger: Logger): Promise<void> {
  for (const { collection, key, options } of definitions) {
    try {
      await db.collection(collection).createIndex(key, options);
    } catch (error) {
      logger.warn(
        { collection, index: options.name, err: { message: (error as Error).message, code: (error as { code?: unknown }).code } },
        `[API] could not create index ${collection}.${options.name}; continuing, the rule is enforced in code`,
      );
    }
  }
}
