import type { Db } from 'mongodb';

/**
 * The user a WeChat openid belongs to, if any: for the audit trail, so a
 * scan or a confirmation shows in that user's history. Read off the request
 * path; a miss (a first sign-in, a stranger) is null.
 */
export async function findUserIdByOpenid(db: Db, openid: string): Promise<string | null> {
  const account = await db.collection<{ userId: unknown }>('account').findOne({ providerId: 'wechat', wechatOpenid: openid }, { projection: { userId: 1 } });
  return account?.userId ? String(account.userId) : null;
}
