import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from '../logger.js';
import { sendError } from '../http/error-response.js';
import type { RateLimitRule } from './rules.js';
import { rateLimitClientKey } from './client-key.js';
import type { RateLimitStore } from './store.js';

export interface RateLimiter {
  /** Middleware for one fixed rule. */
  limit(rule: RateLimitRule): RequestHandler;
  /** Middleware choosing the rule per request (better-auth paths). */
  limitBy(ruleOf: (req: Request) => RateLimitRule, respond?: RateLimitResponder): RequestHandler;
  /**
   * One hit on `rule` for a budget named by `key` (already specific: an IP, or an OAuth client and
   * an IP), for checks that are not a middleware: inside better-auth, where the body is parsed.
   */
  take(rule: RateLimitRule, key: string): Promise<RateLimitVerdict>;
}

/** Whether a hit fits its budget; `retryAfterSeconds` says when to come back when it does not. */
export type RateLimitVerdict = { allowed: true; remaining: number } | { allowed: false; retryAfterSeconds: number };

export type RateLimitResponder = (res: Response, retryAfterSeconds: number) => void;

const TOO_MANY = 'Too many requests from your network. Try again in a moment.';

/** Our routes answer 429 in our error shape, always with Retry-After. */
const ourShape: RateLimitResponder = (res, retryAfterSeconds) =>
  sendError(res, 429, 'RATE_LIMITED', TOO_MANY, { retryAfterSeconds, details: { retryAfterSeconds } });

/** better-auth's endpoints keep its `{code, message}` shape, with Retry-After too. */
export const betterAuthShape: RateLimitResponder = (res, retryAfterSeconds) => {
  res.setHeader('Retry-After', String(retryAfterSeconds));
  res.status(429).json({ code: 'RATE_LIMITED', message: TOO_MANY });
};

/**
 * Per-client limits (the IP Express computed, honouring TRUST_PROXY; IPv6 by
 * its /64, see rateLimitClientKey). When
 * the store fails (database away), requests pass: the database error will
 * answer them anyway, and a limiter must not turn a blip into an outage.
 */
export function createRateLimiter(options: { store: RateLimitStore; enabled: boolean; logger: Logger; now?: () => number }): RateLimiter {
  const now = options.now ?? Date.now;
  const take = async (rule: RateLimitRule, key: string): Promise<RateLimitVerdict> => {
    if (!options.enabled) return { allowed: true, remaining: rule.max };
    let window;
    try {
      window = await options.store.hit(`${rule.name}:${key}`, rule.windowMs);
    } catch (error) {
      options.logger.warn({ err: error, rule: rule.name }, '[API] rate limit store unavailable; letting the request through');
      return { allowed: true, remaining: rule.max };
    }
    if (window.count <= rule.max) return { allowed: true, remaining: rule.max - window.count };
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((window.resetAtMs - now()) / 1000)) };
  };
  const limitBy = (ruleOf: (req: Request) => RateLimitRule, respond: RateLimitResponder = ourShape): RequestHandler => {
    if (!options.enabled) return (_req, _res, next) => next();
    return async (req, res, next) => {
      const rule = ruleOf(req);
      const client = rateLimitClientKey(req.ip ?? req.socket.remoteAddress ?? 'unknown');
      const verdict = await take(rule, client);
      res.setHeader('RateLimit-Limit', String(rule.max));
      res.setHeader('RateLimit-Remaining', String(verdict.allowed ? verdict.remaining : 0));
      if (verdict.allowed) {
        next();
        return;
      }
      req.log?.warn({ rule: rule.name, client }, '[API] rate limit reached');
      respond(res, verdict.retryAfterSeconds);
    };
  };
  return { limitBy, limit: (rule) => limitBy(() => rule), take };
}
