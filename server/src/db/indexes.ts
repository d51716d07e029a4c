import type { Db, IndexSpecification, CreateIndexesOptions } from 'mongodb';
import type { DatabaseCapabilities } from './capabilities.js';
import type { Logger } from '../logger.js';

export interface IndexDefinition {
  collection: string;
  key: IndexSpecification;
  options: CreateIndexesOptions & { name: string };
  /** Older indexes this one replaces: dropped once it exists (kept while it cannot be created). */
  supersedes?: string[];
  /** What a refusal costs, for the log line; by default the rule is also enforced in code. */
  ifRefused?: string;
}

const UNIQUENESS_NOT_ENFORCED = 'uniqueness is NOT enforced (existing duplicates, the usual cause, are reported next)';

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
    // One identity, one account: without transactions (FerretDB, a standalone mongod) only the
    // database can stop two racing sign-ins or binds from linking one WeChat to two users.
    // A new key order, so it can be built beside the old non-unique index it then replaces.
    {
      collection: 'account',
      key: { accountId: 1, providerId: 1 },
      options: { name: 'account_accountId_providerId_uidx', unique: true },
      supersedes: ['account_provider_account_idx'],
      ifRefused: UNIQUENESS_NOT_ENFORCED,
    },
    // The same WeChat person stored under their openid and, by a racing request that knew the
    // unionid, under the unionid. Only WeChat accounts have the field: other accounts are skipped.
    capabilities.partialIndexes
      ? {
          collection: 'account',
          key: { wechatOpenid: 1 },
          options: { name: 'account_wechatOpenid_uidx', unique: true, partialFilterExpression: { wechatOpenid: { $type: 'string' } } },
          ifRefused: UNIQUENESS_NOT_ENFORCED,
        }
      : // FerretDB: no partial indexes; sparse skips the accounts without the field.
        {
          collection: 'account',
          key: { wechatOpenid: 1 },
          options: { name: 'account_wechatOpenid_sparse_uidx', unique: true, sparse: true },
          ifRefused: UNIQUENESS_NOT_ENFORCED,
        },
    // One account per provider per user: one WeChat (two binds racing) and one password (two
    // first-password requests racing).
    {
      collection: 'account',
      key: { userId: 1, providerId: 1 },
      options: { name: 'account_userId_providerId_uidx', unique: true },
      ifRefused: UNIQUENESS_NOT_ENFORCED,
    },
    { collection: 'account', key: { userId: 1 }, options: { name: 'account_userId_idx' } },
    { collection: 'session', key: { userId: 1 }, options: { name: 'session_userId_idx' } },
    // The admin table's sort by last sign-in (either direction, ties by id) and its dormant-account filter.
    { collection: 'user', key: { lastSignInAt: 1, _id: 1 }, options: { name: 'user_lastSignInAt_idx' } },
  ];
}

/**
 * Creates each index, then drops the ones it supersedes. A refusal is logged once and start-up goes
 * on; the refused definitions are returned so the caller can say why (e.g. existing duplicates).
 */
export async function ensureIndexes(db: Db, definitions: IndexDefinition[], logger: Logger): Promise<IndexDefinition[]> {
  const refused: IndexDefinition[] = [];
  for (const definition of definitions) {
    const { collection, key, options } = definition;
    try {
      await db.collection(collection).createIndex(key, options);
    } catch (error) {
      refused.push(definition);
      logger.warn(
        { collection, index: options.name, err: { message: withoutKeyValues((error as Error).message), code: (error as { code?: unknown }).code } },
        `[API] could not create index ${collection}.${options.name}; continuing, ${definition.ifRefused ?? 'the rule is enforced in code'}`,
      );
      continue;
    }
    for (const superseded of definition.supersedes ?? []) await dropIndexIfPresent(db, collection, superseded, logger);
  }
  return refused;
}

/**
 * MongoDB's duplicate-key message quotes the values (`dup key: { accountId: "o6_bmjrPTlm6…" }`):
 * openids, unionids and emails are personal identifiers, not for a log line.
 */
function withoutKeyValues(message: string): string {
  return message.replace(/dup key: \{[\s\S]*\}/g, 'dup key: { … }');
}

async function dropIndexIfPresent(db: Db, collection: string, name: string, logger: Logger): Promise<void> {
  try {
    await db.collection(collection).dropIndex(name);
    logger.info(`[API] dropped index ${collection}.${name}, replaced by a unique one`);
  } catch (error) {
    // 27 IndexNotFound / 26 NamespaceNotFound: already gone (a fresh database, or another instance dropped it).
    const code = (error as { code?: unknown }).code;
    if (code === 27 || code === 26) return;
    logger.warn({ collection, index: name, err: { message: (error as Error).message, code } }, `[API] could not drop the superseded index ${collection}.${name}`);
  }
}
