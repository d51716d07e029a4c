import type { Db, Document } from 'mongodb';
import type { IndexDefinition } from './indexes.js';
import type { Logger } from '../logger.js';

/** Enough to act on; a deployment with more has a bigger problem than this log can describe. */
const MAX_GROUPS_REPORTED = 50;
const MAX_ACCOUNTS_PER_GROUP = 20;

export interface DuplicateAccountGroup {
  index: string;
  providerId: string | null;
  accountIds: string[];
  userIds: string[];
}

/**
 * A unique account index that could not be built at start-up usually means the duplicates it
 * forbids already exist (from before it did, e.g. two racing first sign-ins of one WeChat). They
 * are found and logged, one error per group, by account and user ids only: never the openid or
 * unionid (personal identifiers). Nothing is merged or deleted: which user keeps the identity is
 * a person's decision.
 */
export async function reportDuplicateAccounts(db: Db, refused: IndexDefinition[], logger: Logger): Promise<DuplicateAccountGroup[]> {
  const groups: DuplicateAccountGroup[] = [];
  for (const definition of refused) {
    if (definition.collection !== 'account' || definition.options.unique !== true) continue;
    try {
      for (const group of await findDuplicates(db, definition)) {
        groups.push(group);
        const duplicates = describeDuplicates(definition, group);
        logger.error(
          { index: group.index, providerId: group.providerId, accountIds: group.accountIds, userIds: group.userIds },
          `[API] duplicate accounts: ${group.providerId ?? ''} accounts ${group.accountIds.join(', ')} (users ${group.userIds.join(', ')}) ` +
            `${duplicates.shared}, so the unique index ${group.index} cannot be built and racing requests can add more. ` +
            `Nothing was merged or deleted. ${duplicates.resolve}, then restart.`,
        );
      }
    } catch (error) {
      logger.error({ index: definition.options.name, err: { message: (error as Error).message } }, '[API] could not look for duplicate accounts');
    }
  }
  return groups;
}

/** What the accounts have in common, and what an operator does about it. */
function describeDuplicates(definition: IndexDefinition, group: DuplicateAccountGroup): { shared: string; resolve: string } {
  const fields = Object.keys(definition.key as Record<string, unknown>);
  const keepOne = {
    resolve:
      'Decide which user keeps this WeChat and remove it from the others (dashboard: the user\'s page, "Unbind WeChat"; ' +
      'delete the user instead when WeChat is their only way to sign in)',
  };
  if (fields.includes('wechatOpenid')) return { shared: 'share one WeChat openid (one person, several users)', ...keepOne };
  if (fields.includes('accountId') && group.providerId === 'wechat') return { shared: 'are one WeChat identity linked more than once (one person, several users)', ...keepOne };
  if (fields.includes('accountId')) return { shared: 'are one identity linked more than once', resolve: 'Decide which account stays and delete the others' };
  return {
    shared: 'all belong to one user, who may have one account per provider',
    resolve: 'Decide which one stays and delete the others (for WeChat, "Unbind WeChat" on the user\'s page removes one)',
  };
}

/** No $push (FerretDB v1 lacks it): count per key, then read each crowded key's accounts. */
async function findDuplicates(db: Db, definition: IndexDefinition): Promise<DuplicateAccountGroup[]> {
  const fields = Object.keys(definition.key as Record<string, unknown>);
  const accounts = db.collection('account');
  const present = Object.fromEntries(fields.map((field) => [field, { $exists: true, $ne: null }]));
  const crowded = await accounts
    .aggregate<{ _id: Document }>([
      { $match: present },
      { $group: { _id: Object.fromEntries(fields.map((field) => [field, `$${field}`])), count: { $sum: 1 } } },
      { $match: { count: { $gt: 1 } } },
      { $limit: MAX_GROUPS_REPORTED },
    ])
    .toArray();
  const groups: DuplicateAccountGroup[] = [];
  for (const { _id: key } of crowded) {
    const docs = await accounts.find(key, { projection: { _id: 1, userId: 1, providerId: 1 } }).limit(MAX_ACCOUNTS_PER_GROUP).toArray();
    groups.push({
      index: definition.options.name,
      providerId: docs[0]?.providerId === undefined ? null : String(docs[0].providerId),
      accountIds: docs.map((doc) => String(doc._id)),
      userIds: [...new Set(docs.map((doc) => String(doc.userId)))],
    });
  }
  return groups;
}
