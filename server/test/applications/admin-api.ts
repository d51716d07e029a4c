import type { OidcBrowser } from '../oidc/oidc-harness.js';

export const APPLICATIONS = '/api/v1/admin/applications';

export interface JsonAnswer<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  text: string;
  body: T;
}

/**
 * The admin API as a script or the dashboard calls it: JSON over the real port, with the caller's
 * cookies and, for writes, the Origin a browser sends (the provider's own URL unless told otherwise).
 */
export async function adminCall<T = Record<string, unknown>>(
  baseUrl: string,
  who: OidcBrowser | null,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
  options: { origin?: string | null } = {},
): Promise<JsonAnswer<T>> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (who?.cookies.size) headers.cookie = who.cookieHeader();
  if (body !== undefined) headers['content-type'] = 'application/json';
  const origin = options.origin === undefined ? (method === 'GET' ? null : baseUrl) : options.origin;
  if (origin) headers.origin = origin;
  const res = await fetch(`${baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, body: (text ? JSON.parse(text) : {}) as T };
}

export interface ApplicationAnswer {
  clientId: string;
  name: string;
  type: 'public' | 'confidential';
  redirectUris: string[];
  firstParty: boolean;
  scopes: string[];
  [field: string]: unknown;
}

export interface CreatedAnswer {
  success: true;
  data: { application: ApplicationAnswer; clientSecret: string | null };
}

/** A valid registration; tests override what they are about. */
export function registration(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'Shop',
    type: 'confidential',
    redirectUris: ['https://rp.example.test/callback'],
    postLogoutRedirectUris: ['https://rp.example.test/logged-out'],
    scopes: ['openid', 'profile', 'email', 'offline_access', 'wechat'],
    ...overrides,
  };
}

export async function registerApplication(baseUrl: string, admin: OidcBrowser, overrides: Record<string, unknown> = {}): Promise<CreatedAnswer['data']> {
  const res = await adminCall<CreatedAnswer>(baseUrl, admin, 'POST', APPLICATIONS, registration(overrides));
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${res.text}`);
  return res.body.data;
}
