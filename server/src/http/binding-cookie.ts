import type { Request, Response } from 'express';
import { newBindingSecret } from '../wechat/scenes/scene.js';

export const BINDING_COOKIE_NAME = 'wml_qr_binding';
export const BINDING_SECRET_PATTERN = /^[A-Za-z0-9_-]{43}$/;
/** A day: long enough for several QR codes in one visit; each scene expires on its own. */
export const BINDING_COOKIE_MAX_AGE_MS = 24 * 60 * 60 * 1000;

/** Reads the raw cookie header: our routes have no cookie-parser, and one cookie needs none. */
export function readBindingSecret(req: Request): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === BINDING_COOKIE_NAME) {
      const value = rest.join('=');
      return BINDING_SECRET_PATTERN.test(value) ? value : undefined;
    }
  }
  return undefined;
}

/**
 * The browser's binding secret: reused when present so several tabs of one
 * browser share it, else created. HttpOnly so page scripts never see it;
 * SameSite=Lax so another site cannot make the browser use it in a POST.
 */
export function ensureBindingSecret(req: Request, res: Response, secure: boolean): string {
  const existing = readBindingSecret(req);
  const secret = existing ?? newBindingSecret();
  res.cookie(BINDING_COOKIE_NAME, secret, {
    httpOnly: true,
    sameSite: 'lax',
    secure,
    path: '/api',
    maxAge: BINDING_COOKIE_MAX_AGE_MS,
  });
  return secret;
}
