import type { Request, Response } from 'express';
import { OPENID_PATTERN } from './users.js';

/**
 * Who is signed in to the simulated WeChat app. Real WeChat knows it; the simulator keeps it in a
 * cookie on its own path, so one desktop browser can play one WeChat user at a time and switch.
 */

export const WECHAT_IDENTITY_COOKIE = 'wxsim_openid';
/** A WeChat login lasts; a year keeps a developer from choosing again every day. */
export const WECHAT_IDENTITY_MAX_AGE_SECONDS = 365 * 24 * 60 * 60;

/** The path the simulator is mounted at ('/' when it runs on its own), where the cookie lives. */
export function identityCookiePath(req: Request): string {
  return req.baseUrl || '/';
}

/** The same path seen from the simulator's public base URL (for a browser that is handed the cookie). */
export function identityCookiePathOf(publicBaseUrl: string): string {
  return new URL(publicBaseUrl).pathname.replace(/\/+$/, '') || '/';
}

/** The openid in the request's identity cookie, when there is a well-formed one. */
export function readIdentityCookie(req: Request): string | undefined {
  const header = req.headers.cookie ?? '';
  for (const pair of header.split(';')) {
    const separator = pair.indexOf('=');
    if (separator < 0 || pair.slice(0, separator).trim() !== WECHAT_IDENTITY_COOKIE) continue;
    const value = pair.slice(separator + 1).trim();
    return OPENID_PATTERN.test(value) ? value : undefined;
  }
  return undefined;
}

export function setIdentityCookie(req: Request, res: Response, openid: string): void {
  res.cookie(WECHAT_IDENTITY_COOKIE, openid, {
    httpOnly: true,
    sameSite: 'lax',
    path: identityCookiePath(req),
    maxAge: WECHAT_IDENTITY_MAX_AGE_SECONDS * 1000,
  });
}
