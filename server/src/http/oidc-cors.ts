import type { RequestHandler } from 'express';
import { AUTH_BASE_PATH } from '@wechat-login/shared';

/**
 * The provider's endpoints that an app's own scripts call from any origin (a SPA relying party on its
 * own domain): discovery, the signing keys, and the token, userinfo and revocation endpoints. They
 * authenticate by client credentials or a bearer token, never by our cookies, so they answer every
 * origin and never with credentials: a page elsewhere can fetch them, but not with a person's session.
 * The authorize and consent steps are navigations and stay same-origin.
 */
export const OIDC_CORS_PATHS: readonly string[] = [
  '/.well-known/openid-configuration',
  '/.well-known/oauth-authorization-server',
  `${AUTH_BASE_PATH}/jwks`,
  `${AUTH_BASE_PATH}/oauth2/token`,
  `${AUTH_BASE_PATH}/oauth2/userinfo`,
  `${AUTH_BASE_PATH}/oauth2/revoke`,
];

const ALLOWED_METHODS = 'GET, POST, OPTIONS';
const ALLOWED_HEADERS = 'Authorization, Content-Type, DPoP';
const PREFLIGHT_MAX_AGE_SECONDS = 600;

/**
 * Any-origin, credential-less CORS for OIDC_CORS_PATHS. Mount it before the trusted-origin CORS: it
 * answers preflights itself, so those never reach the credentialed CORS.
 */
export function oidcCors(paths: readonly string[] = OIDC_CORS_PATHS): RequestHandler {
  const open = new Set(paths);
  return (req, res, next) => {
    if (!open.has(req.path) || req.headers.origin === undefined) return next();
    res.setHeader('Access-Control-Allow-Origin', '*');
    if (req.method !== 'OPTIONS') return next();
    res.setHeader('Access-Control-Allow-Methods', ALLOWED_METHODS);
    res.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS);
    res.setHeader('Access-Control-Max-Age', String(PREFLIGHT_MAX_AGE_SECONDS));
    res.status(204).end();
  };
}
