import type { RequestHandler, Response } from 'express';
import { fromNodeHeaders } from 'better-auth/node';
import type { Auth } from '../auth/create-auth.js';
import { AppError } from '../errors.js';

export type SignedInSession = NonNullable<Awaited<ReturnType<Auth['api']['getSession']>>>;

const SESSION_LOCAL = 'signedInSession';

/** Middleware for our own signed-in routes: 401 without a session; the session is kept for the handler. */
export function requireSignedIn(auth: Auth): RequestHandler {
  return async (req, res, next) => {
    const session = await auth.api.getSession({ headers: fromNodeHeaders(req.headers) });
    if (!session) throw new AppError(401, 'UNAUTHORIZED', 'Sign in first.');
    res.locals[SESSION_LOCAL] = session;
    next();
  };
}

/** The session `requireSignedIn` found; only behind that middleware. */
export function sessionOf(res: Response): SignedInSession {
  const session = res.locals[SESSION_LOCAL] as SignedInSession | undefined;
  if (!session) throw new Error('sessionOf called on a route without requireSignedIn');
  return session;
}
