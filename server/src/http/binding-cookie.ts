import type { Request, Response } from 'express';
import { newBindingSecret } from '../wechat/scenes/scene.js';

export const BINDING_COOKIE_NAME = 'wml_qr_binding';
export const BINDING_SECRET_PATTERN = /^[A-Za-z0-9_-]{43}$/;
/** A day: long enough for several QR codes in one visit; each scene expires on its own. */
export const BINDING_COOKIE_MAX_AGE_MS = 24 * 60 * 60 * 1000;
/** Where and how the binding cookie is set, by our QR routes and by the plugin's web-authorization start alike. */
export const BINDING_COOKIE_ATTRIBUTES = { httpOnly: true, sameSite: 'lax', path: '/api' } as const;

/** One cookie from the raw header: our routes have no cookie-parser, and a cookie or two needs none. */
export function readCookie(req: Request, cookieName: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === cookieName) return rest.join('=');
  }
  return undefined;
}

export function readBindingSecret(req: Request): string | undefined {
  const value = readCookie(req, BINDING_COOKIE_NAME);
  return value !== undefined && BINDING_SECRET_PATTERN.test(value) ? value : undefined;
}

/**
 * The browser's binding secret: reused when present so several tabs of one
 * browser share it, else created. HttpOnly so page scripts never see it;
 * SameSite=Lax so another site cannot make the browser use it in a POST.
 */
export function ensureBindingSecret(req: Request, res: Response, secure: boolean): string {
  const existing = readBindingSecret(req);
  const secret = existing ?? newBindingSecret();
  res.cookie(BINDING_COOKIE_NAME, secret, { ...BINDING_COOKIE_ATTRIBUTES, secure, maxAge: BINDING_COOKIE_MAX_AGE_MS });
  return secret;
}
