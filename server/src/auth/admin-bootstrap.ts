import type { Db } from 'mongodb';
import type { Auth } from './create-auth.js';
import type { Logger } from '../logger.js';

export interface AdminAccount {
  username: string;
  password: string;
  email: string;
}

export type AdminBootstrapResult = 'created' | 'existing' | 'promoted';

/**
 * Makes sure the configured admin exists with the admin role. Safe to run on
 * every start and from several instances at once: the unique email/username
 * indexes let exactly one insert win, and the others find that user.
 * An existing admin's password is left alone: it may have been changed in the UI.
 */
export async function ensureAdminUser(auth: Auth, db: Db, admin: AdminAccount, logger: Logger): Promise<AdminBootstrapResult> {
  const users = db.collection('user');
  const existing = await users.findOne({ username: admin.username });
  if (existing) return promoteIfNeeded(db, existing._id, existing.role, admin, logger);
  try {
    await auth.api.createUser({
      body: {
        email: admin.email,
        password: admin.password,
        name: admin.username,
        role: 'admin',
        data: { username: admin.username, displayUsername: admin.username },
      },
    });
    logger.info({ username: admin.username }, '[API] admin user created from ADMIN_USERNAME');
    return 'created';
  } catch (error) {
    // Another instance won the race, or the email is taken by a user without this username.
    const winner = await users.findOne({ username: admin.username });
    if (winner) return promoteIfNeeded(db, winner._id, winner.role, admin, logger);
    throw new Error(`could not create the admin user "${admin.username}": ${(error as Error).message}`, { cause: error });
  }
}

async function promoteIfNeeded(db: Db, userId: unknown, role: unknown, admin: AdminAccount, logger: Logger): Promise<AdminBootstrapResult> {
  if (role === 'admin') return 'existing';
  await db.collection('user').updateOne({ _id: userId as never }, { $set: { role: 'admin', updatedAt: new Date() } });
  logger.warn({ username: admin.username }, '[API] existing user named by ADMIN_USERNAME was given the admin role');
  return 'promoted';
}
