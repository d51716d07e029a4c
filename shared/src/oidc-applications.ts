import { z } from 'zod';
import { AuditEventSchema } from './audit.js';

/**
 * The admin "Applications" (issue 15): the OIDC clients other apps sign their users in with. One
 * definition of what an admin may register, so the server refuses and the dashboard's form warns
 * by the same rules.
 */

/** Below API_V1_PATH: `/api/v1/admin/applications`. */
export const ADMIN_APPLICATIONS_PATH = '/admin/applications';

/** The scopes an application may be allowed; the provider's own list (server/src/auth/oidc/claims.ts). */
export const APPLICATION_SCOPES = ['openid', 'profile', 'email', 'offline_access', 'wechat'] as const;
export const ApplicationScopeSchema = z.enum(APPLICATION_SCOPES);
export type ApplicationScope = z.infer<typeof ApplicationScopeSchema>;

/** Public: a browser or mobile app, no secret, PKCE always. Confidential: a back end that keeps a secret. */
export const ApplicationTypeSchema = z.enum(['public', 'confidential']);
export type ApplicationType = z.infer<typeof ApplicationTypeSchema>;

/** How a confidential application sends its secret to the token endpoint (HTTP Basic is what most libraries do). */
export const SecretAuthMethodSchema = z.enum(['client_secret_basic', 'client_secret_post']);
export type SecretAuthMethod = z.infer<typeof SecretAuthMethodSchema>;

/** The refusals of the applications API, added to API_ERROR_CODES. */
export const APPLICATION_ERROR_CODES = ['APPLICATION_NOT_FOUND', 'INVALID_APPLICATION', 'INVALID_REDIRECT_URI', 'INVALID_LOGO_URL', 'APPLICATION_HAS_NO_SECRET'] as const;
export type ApplicationErrorCode = (typeof APPLICATION_ERROR_CODES)[number];

export const MAX_APPLICATION_NAME_LENGTH = 100;
export const MAX_REDIRECT_URIS = 20;
export const MAX_URL_LENGTH = 2000;

const LOOPBACK_HTTP_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
/** RFC 8252 §7.1: a native app's own scheme is a reverse domain name (`com.example.app:/callback`). */
const REVERSE_DOMAIN_SCHEME = /^[a-z](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/i;

/**
 * Why a redirect URI is refused, or null when it is fine. The provider compares redirect URIs exactly
 * (RFC 9700), so a pattern can never match: a `*` is refused rather than stored as a URI nobody can use.
 * https on a real host for web apps; http only on the exact loopback hosts, and reverse-domain schemes,
 * for native apps (RFC 8252); nothing that runs script or names a file.
 */
export function redirectUriProblem(value: string): string | null {
  if (value.length > MAX_URL_LENGTH) return `must be at most ${MAX_URL_LENGTH} characters`;
  if (/\s/.test(value)) return 'must not contain spaces';
  if (value.includes('*')) return 'must not contain a wildcard (*): redirect URIs are matched exactly';
  if (value.includes('#')) return 'must not contain a fragment (#)';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an absolute URL such as https://app.example.com/callback';
  }
  if (url.username || url.password) return 'must not contain a user name or password';
  if (url.protocol === 'https:') {
    return isLoopbackHost(url.hostname) ? 'local apps use http://localhost, http://127.0.0.1 or http://[::1], not https' : null;
  }
  if (url.protocol === 'http:') {
    const rawHost = /^http:\/\/([^/?#]*)/i.exec(value)?.[1]?.replace(/:\d*$/, '').toLowerCase();
    return rawHost !== undefined && LOOPBACK_HTTP_HOSTS.has(rawHost) ? null : 'must use https (http only on localhost, 127.0.0.1 or [::1])';
  }
  const scheme = url.protocol.slice(0, -1);
  const rest = value.slice(url.protocol.length);
  if (REVERSE_DOMAIN_SCHEME.test(scheme) && rest.startsWith('/') && !rest.startsWith('//')) return null;
  return 'must use https, http on localhost, or an app scheme such as com.example.app:/callback';
}

function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * `native` when a redirect URI is a loopback http or an app scheme: the provider allows those to
 * native applications only (and https on real hosts to both). Derived, never chosen, so it cannot disagree.
 */
export function applicationKindOf(redirectUris: readonly string[]): 'web' | 'native' {
  return redirectUris.some((uri) => !uri.startsWith('https:')) ? 'native' : 'web';
}

const RedirectUriSchema = z.string().trim().superRefine((value, ctx) => {
  const problem = redirectUriProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

function uniqueList<T extends z.ZodType<string>>(item: T, max: number) {
  return z
    .array(item)
    .max(max)
    .refine((values) => new Set(values).size === values.length, { message: 'must not list a value twice' });
}

/** An https image, or empty for none; shown on the consent page, so never http, data: or script. */
const LogoUrlSchema = z
  .string()
  .trim()
  .max(MAX_URL_LENGTH)
  .refine((value) => value === '' || (URL.canParse(value) && new URL(value).protocol === 'https:' && !value.includes('#') && !/\s/.test(value)), {
    message: 'must be an https URL (or empty for no logo)',
  });

const applicationFields = {
  name: z.string().trim().min(1).max(MAX_APPLICATION_NAME_LENGTH),
  logoUrl: LogoUrlSchema.default(''),
  redirectUris: uniqueList(RedirectUriSchema, MAX_REDIRECT_URIS).min(1),
  /** Where RP-initiated logout may send the browser back to. */
  postLogoutRedirectUris: uniqueList(RedirectUriSchema, MAX_REDIRECT_URIS).default([]),
  /** First-party: our own product, trusted; its users are never asked for consent. */
  firstParty: z.boolean().default(false),
  scopes: uniqueList(ApplicationScopeSchema, APPLICATION_SCOPES.length)
    .min(1)
    .refine((scopes) => scopes.includes('openid'), { message: 'must include openid' }),
  /** Confidential applications may turn PKCE off for client libraries without it; public ones always use it. */
  requirePkce: z.boolean().default(true),
};

/** `POST /api/v1/admin/applications`. The type and how the secret is sent are fixed once registered. */
export const CreateApplicationSchema = z
  .object({
    ...applicationFields,
    type: ApplicationTypeSchema,
    secretAuthMethod: SecretAuthMethodSchema.default('client_secret_basic'),
  })
  .strict()
  .refine((input) => input.type === 'confidential' || input.requirePkce, { message: 'public applications always require PKCE', path: ['requirePkce'] });
export type CreateApplicationInput = z.input<typeof CreateApplicationSchema>;
export type CreateApplication = z.infer<typeof CreateApplicationSchema>;

/** `PATCH /api/v1/admin/applications/:clientId`: the fields to change, at least one. */
export const UpdateApplicationSchema = z
  .object({
    name: applicationFields.name,
    logoUrl: LogoUrlSchema,
    redirectUris: applicationFields.redirectUris,
    postLogoutRedirectUris: uniqueList(RedirectUriSchema, MAX_REDIRECT_URIS),
    firstParty: z.boolean(),
    scopes: applicationFields.scopes,
    requirePkce: z.boolean(),
  })
  .partial()
  .strict()
  .refine((input) => Object.keys(input).length > 0, { message: 'give at least one field to change' });
export type UpdateApplicationInput = z.input<typeof UpdateApplicationSchema>;
export type UpdateApplication = z.infer<typeof UpdateApplicationSchema>;

const dateLike = z.union([z.string(), z.date()]).transform((value) => new Date(value));

/** An application as the API shows it. Never its secret: the server keeps only a hash. */
export const ApplicationSchema = z.object({
  clientId: z.string(),
  name: z.string(),
  logoUrl: z.string().nullable(),
  type: ApplicationTypeSchema,
  /** `none` for public applications. */
  tokenEndpointAuthMethod: z.string(),
  /** Derived from the redirect URIs (see applicationKindOf). */
  kind: z.enum(['web', 'native']),
  redirectUris: z.array(z.string()),
  postLogoutRedirectUris: z.array(z.string()),
  firstParty: z.boolean(),
  scopes: z.array(z.string()),
  requirePkce: z.boolean(),
  /** Registered by an admin (here or through the admin API), or by RFC 7591 dynamic registration. */
  registeredBy: z.enum(['admin', 'dynamic']),
  createdAt: dateLike.nullable(),
  updatedAt: dateLike.nullable(),
});
export type Application = z.infer<typeof ApplicationSchema>;

/** What another app needs to be configured: the issuer (BETTER_AUTH_URL) and its discovery document. */
export const ProviderEndpointsSchema = z.object({
  issuer: z.string(),
  discoveryUrl: z.string(),
});
export type ProviderEndpoints = z.infer<typeof ProviderEndpointsSchema>;

/** `GET /api/v1/admin/applications/:clientId`: the application, and where the provider is (for its settings). */
export const ApplicationDetailSchema = ApplicationSchema.extend({ provider: ProviderEndpointsSchema });
export type ApplicationDetail = z.infer<typeof ApplicationDetailSchema>;

/** `GET /api/v1/admin/applications`: every application, newest first, and where the provider is. */
export const ApplicationListSchema = z.object({
  items: z.array(ApplicationSchema),
  provider: ProviderEndpointsSchema,
});
export type ApplicationList = z.infer<typeof ApplicationListSchema>;

/** The answer of a create or a secret rotation: the only time the secret is ever shown (null for a public application). */
export const ApplicationWithSecretSchema = z.object({
  application: ApplicationSchema,
  clientSecret: z.string().nullable(),
});
export type ApplicationWithSecret = z.infer<typeof ApplicationWithSecretSchema>;

export const RECENT_APPLICATION_EVENTS_LIMIT = 20;

/** `GET /api/v1/admin/applications/:clientId/activity`: from the audit trail, newest first. */
export const ApplicationActivitySchema = z.object({
  /** Consents given and tokens issued to the application. */
  authorizations: z.array(AuditEventSchema),
  /** Token requests it was refused (wrong secret, reused code, wrong PKCE verifier...). */
  failures: z.array(AuditEventSchema),
});
export type ApplicationActivity = z.infer<typeof ApplicationActivitySchema>;

export const ApplicationDeletedSchema = z.object({ deleted: z.literal(true) });
