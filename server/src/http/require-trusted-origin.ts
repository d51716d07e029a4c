import type { RequestHandler } from 'express';
import type { Auth } from '../auth/create-auth.js';
import { AppError } from '../errors.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The CSRF check better-auth runs on its own POSTs, for our cookie-authenticated routes: a
 * state-changing request that carries a cookie must come from a page on a trusted origin (the base
 * URL, TRUSTED_ORIGINS), said by `Origin` or else `Referer`. better-auth's own list and matcher
 * decide, so both kinds of route trust exactly the same origins. Cookie-less requests pass: they
 * cannot ride on a victim's session (and our routes then answer 401).
 */
export function requireTrustedOrigin(auth: Auth): RequestHandler {
  return async (req, _res, next) => {
    if (SAFE_METHODS.has(req.method) || !req.headers.cookie) return next();
    const claimed = req.headers.origin ?? req.headers.referer;
    if (!claimed || claimed === 'null') throw new AppError(403, 'MISSING_OR_NULL_ORIGIN', 'The request did not say which page sent it (no Origin header).');
    const context = await auth.$context;
    if (!context.isTrustedOrigin(claimed, { allowRelativePaths: false })) {
      throw new AppError(403, 'INVALID_ORIGIN', 'Requests from this origin are not allowed. Add it to TRUSTED_ORIGINS if it is yours.');
    }
    next();
  };
}
