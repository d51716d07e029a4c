import { z } from 'zod';
import type { GenericEndpointContext } from '@better-auth/core';
import { newBindingSecret } from '../../../wechat/scenes/scene.js';
import { BINDING_COOKIE_ATTRIBUTES, BINDING_COOKIE_MAX_AGE_MS, BINDING_SECRET_PATTERN } from '../../../http/binding-cookie.js';
import type { OAuthRedirectPaths, WechatPluginOptions } from '../options.js';
import { AUTH_BASE_PATH, WECHAT_AUTH_ENDPOINTS } from '@wechat-login/shared';
import { wechatError } from '../error-codes.js';

/**
 * A path on this site: one leading slash and printable ASCII only, so neither `//evil.example`
 * nor `/\evil.example` (both leave the site in a browser) nor a header-splitting character passes.
 */
const SAME_ORIGIN_PATH = /^\/(?![/\\])[\x21-\x7e]*$/;
export const MAX_CALLBACK_URL_LENGTH = 2048;

export const sameOriginPath = z.string().max(MAX_CALLBACK_URL_LENGTH).regex(SAME_ORIGIN_PATH);

export const DEFAULT_REDIRECTS = { callbackURL: '/', errorCallbackURL: '/sign-in' } as const;

export const redirectsBody = {
  callbackURL: z.string().optional().meta({ description: 'Where to go once signed in (a path on this site). Default /' }),
  newUserCallbackURL: z.string().optional().meta({ description: 'Where a user created by this sign-in goes instead. Default callbackURL' }),
  errorCallbackURL: z.string().optional().meta({ description: 'Where to go on failure, with ?error=CODE added. Default /sign-in' }),
};

/** The body's paths, or null when one is not a path on this site (the endpoint answers INVALID_CALLBACK_URL). */
export function readRedirects(body: { callbackURL?: string | undefined; newUserCallbackURL?: string | undefined; errorCallbackURL?: string | undefined }): OAuthRedirectPaths | null {
  const callbackURL = body.callbackURL ?? DEFAULT_REDIRECTS.callbackURL;
  const redirects = {
    callbackURL,
    newUserCallbackURL: body.newUserCallbackURL ?? callbackURL,
    errorCallbackURL: body.errorCallbackURL ?? DEFAULT_REDIRECTS.errorCallbackURL,
  };
  return Object.values(redirects).every((path) => sameOriginPath.safeParse(path).success) ? redirects : null;
}

/**
 * The absolute URL of `path` on this site, with `error` added to its query. Resolved against our own
 * origin and checked again, so a stored path can never send the browser anywhere else.
 */
export function siteUrl(ctx: GenericEndpointContext, path: string, error?: string): string {
  const origin = new URL(ctx.context.baseURL).origin;
  const url = new URL(sameOriginPath.safeParse(path).success ? path : '/', origin);
  if (url.origin !== origin) return `${origin}/`;
  if (error) url.searchParams.set('error', error);
  return url.href;
}

/** The browser's binding secret (the QR code's HttpOnly cookie): reused, or set now, as get-qrcode does. */
export function ensureBindingSecret(ctx: GenericEndpointContext, options: WechatPluginOptions): string {
  const existing = ctx.getCookie(options.bindingCookieName);
  if (existing && BINDING_SECRET_PATTERN.test(existing)) return existing;
  const secret = newBindingSecret();
  ctx.setCookie(options.bindingCookieName, secret, { ...BINDING_COOKIE_ATTRIBUTES, secure: ctx.context.baseURL.startsWith('https://'), maxAge: BINDING_COOKIE_MAX_AGE_MS / 1000 });
  return secret;
}

const REDIRECT_FIELDS = ['callbackURL', 'newUserCallbackURL', 'errorCallbackURL'] as const;
const START_PATHS: ReadonlySet<string> = new Set([WECHAT_AUTH_ENDPOINTS.signInWechatOAuth, WECHAT_AUTH_ENDPOINTS.bindWechatOAuth].map((path) => `${AUTH_BASE_PATH}${path}`));

/**
 * better-auth's origin check reads the redirect fields before any body schema or hook does, and
 * answers a non-string with a message but no code. This runs before its router (a plugin's
 * `onRequest`) and gives that refusal our code, on a copy of the body.
 */
export async function refuseNonStringRedirects(request: Request): Promise<{ response: Response } | undefined> {
  if (request.method !== 'POST' || !START_PATHS.has(new URL(request.url).pathname)) return undefined;
  const body: unknown = await request
    .clone()
    .json()
    .catch(() => undefined);
  if (!body || typeof body !== 'object') return undefined;
  const fields = body as Record<string, unknown>;
  if (!REDIRECT_FIELDS.some((field) => fields[field] !== undefined && typeof fields[field] !== 'string')) return undefined;
  const { code, message } = wechatError('INVALID_CALLBACK_URL');
  return { response: Response.json({ code, message }, { status: 400 }) };
}
