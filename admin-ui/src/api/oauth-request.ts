/**
 * The authorization request an app sent the browser here with. The OIDC provider redirects to
 * `/sign-in?…` (no session) or `/oauth/consent?…` with the request's parameters plus its signature:
 * `sig`, `exp`, `ba_iat` (issued at, ms, server clock) and `ba_param` (the signed parameter names).
 * The signature lives as long as an authorization code (60 s here), so a page open longer asks the
 * provider again (`authorizeUrl`): the provider re-checks everything, so nothing read here is trusted
 * and nothing here ever decides where the browser goes; only the provider's answers do.
 */

/** The signature's own fields: everything else signed is the authorization request itself. */
const SIGNATURE_FIELDS = new Set(['sig', 'exp', 'ba_iat', 'ba_pl', 'ba_param']);
/** The provider's authorization endpoint, on this site. */
export const AUTHORIZE_PATH = '/api/auth/oauth2/authorize';
/** Ask again this long before the signature expires: the request still has to travel. */
const RENEW_MARGIN_MS = 15_000;

export interface OAuthRequest {
  /** The signed parameters, as the provider wants them back in `oauth_query`. */
  signedQuery: string;
  /** The authorization request (client_id, redirect_uri, scope, state, PKCE…), without the signature. */
  params: URLSearchParams;
  clientId: string;
  scopes: string[];
  /** When the provider signed it (its clock); null when it did not say. */
  issuedAtMs: number | null;
  /** How long the signature lives, from the provider's own exp − iat. */
  lifetimeMs: number;
  /** When this page read it (the browser's clock: only differences of it are used). */
  readAtMs: number;
}

/**
 * The request in a page's query, or null when there is none (no `sig`, no signed names, no client).
 * Only the signed parameters are kept: anything appended (`error` from a WeChat round trip, say) is not
 * part of it.
 */
export function readOAuthRequest(search: string, now: number = Date.now()): OAuthRequest | null {
  const query = new URLSearchParams(search);
  const signedNames = new Set(query.getAll('ba_param'));
  if (!query.get('sig') || signedNames.size === 0) return null;
  const signed = new URLSearchParams();
  const params = new URLSearchParams();
  for (const [key, value] of query) {
    if (key !== 'sig' && key !== 'ba_param' && !signedNames.has(key)) continue;
    signed.append(key, value);
    if (!SIGNATURE_FIELDS.has(key)) params.append(key, value);
  }
  const clientId = params.get('client_id');
  if (!clientId) return null;
  const issuedAtMs = positiveNumber(query.get('ba_iat'));
  const expiresAtMs = (positiveNumber(query.get('exp')) ?? 0) * 1000;
  return {
    signedQuery: signed.toString(),
    params,
    clientId,
    scopes: (params.get('scope') ?? '').split(' ').filter(Boolean),
    issuedAtMs,
    lifetimeMs: issuedAtMs === null ? 0 : Math.max(0, expiresAtMs - issuedAtMs),
    readAtMs: now,
  };
}

/** Whether the signature can still be sent, judged by the time this page has held it (no clock skew involved). */
export function isFresh(request: OAuthRequest, now: number = Date.now()): boolean {
  return now - request.readAtMs < request.lifetimeMs - RENEW_MARGIN_MS;
}

/**
 * Where to ask the provider again. `freshSession`: the person signed in after the provider signed this
 * request (the session's createdAt ≥ its issued-at, both server clocks), which is what `prompt=login`
 * and `max_age` ask for; the provider's own sign-in hook drops them on the same condition.
 */
export function authorizeUrl(request: OAuthRequest, options: { freshSession: boolean }): string {
  const params = new URLSearchParams(request.params);
  if (options.freshSession) {
    params.delete('max_age');
    const prompts = (params.get('prompt') ?? '').split(' ').filter((prompt) => prompt && prompt !== 'login');
    if (prompts.length) params.set('prompt', prompts.join(' '));
    else params.delete('prompt');
  }
  return `${AUTHORIZE_PATH}?${params.toString()}`;
}

/** True when a session created at `sessionCreatedAt` is newer than the request (so it satisfies prompt=login). */
export function isSessionFresh(request: OAuthRequest, sessionCreatedAt: Date | string | null | undefined): boolean {
  if (request.issuedAtMs === null || !sessionCreatedAt) return false;
  return new Date(sessionCreatedAt).getTime() >= request.issuedAtMs;
}

function positiveNumber(value: string | null): number | null {
  const parsed = Number(value);
  return value !== null && Number.isFinite(parsed) && parsed > 0 ? parsed : null;
}
