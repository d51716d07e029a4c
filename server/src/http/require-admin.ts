import type { RequestHandler } from 'express';
import { fromNodeHeaders } from 'better-auth/node';
import type { Auth } from '../auth/create-auth.js';
import { AppError } from '../errors.js';

/** better-auth stores roles as a comma-separated string. */
export function hasAdminRole(role: unknown): boolean {
  return typeof role === 'string' && role.split(',').map((r) => r.trim()).includes('admin');
}

/** Our admin routes: 401 without a session, 403 for non-admins, like better-auth's admin endpoints. */
export function requireAdmin(auth: Auth): RequestHandler {
  return async (req, _res, next) => {
    const session = await auth.api.getSession({ headers: fromNodeHeaders(req.headers) });
    if (!session) throw new AppError(401, 'UNAUTHORIZED', 'Sign in first.');
    if (!hasAdminRole((session.user as { role?: unknown }).role)) throw new AppError(403, 'FORBIDDEN', 'Only admins can do this.');
    next();
  };
}
