import type { AuthContext } from '@better-auth/core';
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
export async function ensureAdminUser(auth: Auth, admin: AdminAccount, logger: Logger): Promise<AdminBootstrapResult> {
  const context = await auth.$context;
  const findByUsername = () => context.adapter.findOne<{ id: string; role?: string | null }>({ model: 'user', where: [{ field: 'username', value: admin.username }] });
  const existing = await findByUsername();
  if (existing) return promoteIfNeeded(context, existing, admin, logger);
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
    const winner = await findByUsername();
    if (winner) return promoteIfNeeded(context, winner, admin, logger);
    throw new Error(`could not create the admin user "${admin.username}": ${(error as Error).message}`, { cause: error });
  }
}

/** Through better-auth's adapter, so its database hooks see the change. */
async function promoteIfNeeded(context: Pick<AuthContext, 'internalAdapter'>, user: { id: string; role?: string | null }, admin: AdminAccount, logger: Logger): Promise<AdminBootstrapResult> {
  if (user.role === 'admin') return 'existing';
  await context.internalAdapter.updateUser(user.id, { role: 'admin' });
  logger.warn({ username: admin.username }, '[API] existing user named by ADMIN_USERNAME was given the admin role');
  return 'promoted';
}
