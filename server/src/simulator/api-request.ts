import express, { type ErrorRequestHandler, type Request, type RequestHandler } from 'express';
import type { AccessTokenRegistry } from './access-tokens.js';
import type { SimulatorCounters, SimulatorStats } from './stats.js';
import { wechatErrorBody } from './wechat-error-bodies.js';

/** Request plumbing shared by the simulated WeChat API routes. */

export function queryValue(req: Request, name: string): string | undefined {
  const value: unknown = (req.query as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}

/**
 * WeChat reads POST bodies as JSON whatever their Content-Type says. When the host app already
 * parsed the body (express.json), that object is used; otherwise the raw text is read here.
 */
export const readBodyText: RequestHandler = express.text({ type: () => true, limit: '64kb' });

/** The JSON object in the body, or undefined when it is not one (WeChat: 47001 data format error). */
export function jsonObjectBody(req: Request): Record<string, unknown> | undefined {
  const body: unknown = req.body;
  let parsed: unknown = body;
  if (typeof body === 'string') {
    try {
      parsed = JSON.parse(body);
    } catch {
      return undefined;
    }
  }
  return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
}

/** A body that could not even be read (too large, bad charset) is a data format error to WeChat. */
export const unreadableBodyAsWechatError: ErrorRequestHandler = (error: unknown, _req, res, next) => {
  // body-parser marks its errors with a `type` such as 'entity.too.large'; anything else is ours.
  const isBodyError = typeof error === 'object' && error !== null && typeof (error as { type?: unknown }).type === 'string';
  if (isBodyError) res.json(wechatErrorBody(47001));
  else next(error);
};

export function countCall(stats: SimulatorStats, counter: keyof SimulatorCounters): RequestHandler {
  return (_req, _res, next) => {
    stats[counter] += 1;
    next();
  };
}

/** Every access_token-taking call: 41001 missing, 40001 invalid/revoked/superseded, 42001 expired. */
export function requireAccessToken(tokens: AccessTokenRegistry): RequestHandler {
  return (req, res, next) => {
    const refusal = tokens.check(queryValue(req, 'access_token'));
    if (refusal === null) {
      next();
      return;
    }
    res.json(wechatErrorBody(refusal));
  };
}
