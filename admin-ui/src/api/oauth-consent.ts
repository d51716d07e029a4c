import type { ErrorMessageKey } from '@/i18n';
import { errorMessageKeyFor, NETWORK_ERROR_KEY } from './api-error';

/**
 * The OIDC provider's calls the authorization pages make, by plain fetch: better-auth's client would
 * follow a `{redirect: true, url}` answer by itself, and these pages decide when to leave.
 */

const AUTH_BASE = '/api/auth';

/** Where the provider says the browser goes next: the app (with a code or an error), or one of our pages. */
export type ProviderAnswer = { ok: true; url: string } | { ok: false; errorKey: ErrorMessageKey; invalidSignature: boolean };

/** A provider call's result; `invalidSignature`: the signed query was refused (too old, or altered). */
export type ProviderResult<T> = { ok: true; data: T } | { ok: false; errorKey: ErrorMessageKey; invalidSignature: boolean };

/** The public face of an app, as the provider gives it to the pages that name it. */
export interface PublicClient {
  clientId: string;
  name: string | null;
  /** The registered logo, only when it is an https URL (anything else is not shown). */
  logoUrl: string | null;
  homeUrl: string | null;
}

interface ProviderBody {
  redirect?: unknown;
  url?: unknown;
  error?: unknown;
  code?: unknown;
  client_id?: unknown;
  client_name?: unknown;
  logo_uri?: unknown;
  client_uri?: unknown;
}

async function call(path: string, init: { method: 'GET' | 'POST'; body?: object }): Promise<{ status: number; body: ProviderBody } | null> {
  try {
    const response = await fetch(`${AUTH_BASE}${path}`, {
      method: init.method,
      credentials: 'same-origin',
      headers: init.body ? { accept: 'application/json', 'content-type': 'application/json' } : { accept: 'application/json' },
      body: init.body ? JSON.stringify(init.body) : undefined,
    });
    const body = (await response.json().catch(() => null)) as ProviderBody | null;
    return { status: response.status, body: body ?? {} };
  } catch {
    return null;
  }
}

function failure(answer: { status: number; body: ProviderBody } | null): { ok: false; errorKey: ErrorMessageKey; invalidSignature: boolean } {
  if (!answer) return { ok: false, errorKey: NETWORK_ERROR_KEY, invalidSignature: false };
  const invalidSignature = answer.body.error === 'invalid_signature';
  const code = typeof answer.body.code === 'string' ? answer.body.code : undefined;
  return { ok: false, errorKey: errorMessageKeyFor({ code, status: answer.status }), invalidSignature };
}

function toAnswer(answer: { status: number; body: ProviderBody } | null): ProviderAnswer {
  if (answer && answer.status === 200 && answer.body.redirect === true && typeof answer.body.url === 'string') return { ok: true, url: answer.body.url };
  return failure(answer);
}

/** GET /oauth2/authorize as fetch: the provider answers where to go instead of redirecting. */
export async function askAuthorization(authorizeUrl: string): Promise<ProviderAnswer> {
  return toAnswer(await call(authorizeUrl.slice(AUTH_BASE.length), { method: 'GET' }));
}

/** The person's answer on the consent page: the app gets a code (accept) or access_denied. */
export async function submitConsent(accept: boolean, oauthQuery: string): Promise<ProviderAnswer> {
  return toAnswer(await call('/oauth2/consent', { method: 'POST', body: { accept, oauth_query: oauthQuery } }));
}

function toPublicClient(body: ProviderBody, clientId: string): PublicClient {
  return {
    clientId,
    name: typeof body.client_name === 'string' && body.client_name.trim() ? body.client_name : null,
    logoUrl: httpsUrlOrNull(body.logo_uri),
    homeUrl: httpsUrlOrNull(body.client_uri),
  };
}

/** The app's name and logo for a signed-in person (the consent page). */
export async function fetchPublicClient(clientId: string): Promise<ProviderResult<PublicClient>> {
  const answer = await call(`/oauth2/public-client?${new URLSearchParams({ client_id: clientId }).toString()}`, { method: 'GET' });
  if (answer?.status === 200) return { ok: true, data: toPublicClient(answer.body, clientId) };
  return failure(answer);
}

/** The same before sign-in (the sign-in page's "continue to <app>"): only with the request's signed query. */
export async function fetchPublicClientBeforeSignIn(clientId: string, oauthQuery: string): Promise<ProviderResult<PublicClient>> {
  const answer = await call('/oauth2/public-client-prelogin', { method: 'POST', body: { client_id: clientId, oauth_query: oauthQuery } });
  if (answer?.status === 200) return { ok: true, data: toPublicClient(answer.body, clientId) };
  return failure(answer);
}

/** Only https links are shown: a `javascript:` or `http:` logo is no logo. */
export function httpsUrlOrNull(value: unknown): string | null {
  if (typeof value !== 'string' || !value) return null;
  try {
    return new URL(value).protocol === 'https:' ? value : null;
  } catch {
    return null;
  }
}
