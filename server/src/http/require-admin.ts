import type { RequestHandler, Response } from 'express';
import { fromNodeHeaders } from 'better-auth/node';
import type { Auth } from '../auth/create-auth.js';
import { AppError } from '../errors.js';

/** better-auth stores roles as a comma-separated string. */
export function hasAdminRole(role: unknown): boolean {
  return typeof role === 'string' && role.split(',').map((r) => r.trim()).includes('admin');
}

/** Our admin routes: 401 without a session, 403 for non-admins, like better-auth's admin endpoints. */
export function requireAdmin(auth: Auth): RequestHandler {
  return async (req, res, next) => {
    const session = await auth.api.getSession({ headers: fromNodeHeaders(req.headers) });
    if (!session) throw new AppError(401, 'UNAUTHORIZED', 'Sign in first.');
    if (!hasAdminRole((session.user as { role?: unknown }).role)) throw new AppError(403, 'FORBIDDEN', 'Only admins can do this.');
    res.locals[ADMIN_ID_LOCAL] = session.user.id;
    next();
  };
}

const ADMIN_ID_LOCAL = 'adminUserId';

/** The signed-in admin's user id, after `requireAdmin` (the actor of an audited admin action). */
export function adminIdOf(res: Response): string {
  const id: unknown = res.locals[ADMIN_ID_LOCAL];
  if (typeof id !== 'string') throw new Error('adminIdOf called on a route without requireAdmin');
  return id;
}
