import { z } from 'zod';

/**
 * The apps a person allowed to sign them in (issue 15), on their account page: one row per consent
 * given on /oauth/consent, with what the app may see. Revoking one forgets the consent and ends the
 * app's access and refresh tokens for that person, so the app must ask again.
 */

/** Below API_V1_PATH: `/api/v1/me/authorized-apps`, and `/api/v1/me/authorized-apps/:clientId` to revoke. */
export const AUTHORIZED_APPS_PATH = '/me/authorized-apps';

/** A client id as the provider issues them; anything else is refused before a lookup. */
export const ClientIdParamSchema = z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, 'expected a client id');

const dateLike = z.union([z.string(), z.date()]).transform((value) => new Date(value));

export const AuthorizedAppSchema = z.object({
  clientId: z.string(),
  /** The app's name as registered; null when it has none. */
  name: z.string().nullable(),
  /** The registered logo, https only (anything else is not shown); null when none. */
  logoUrl: z.string().nullable(),
  /** The app's home page, when registered (https only). */
  homeUrl: z.string().nullable(),
  /** What the person allowed: OIDC scopes (openid, profile, email, offline_access, wechat). */
  scopes: z.array(z.string()),
  /** When the person first allowed it, and when they last confirmed (more scopes, or again after a change). */
  authorizedAt: dateLike,
  updatedAt: dateLike,
});
export type AuthorizedApp = z.infer<typeof AuthorizedAppSchema>;

export const AuthorizedAppListSchema = z.object({ items: z.array(AuthorizedAppSchema) });
export type AuthorizedAppList = z.infer<typeof AuthorizedAppListSchema>;

/** What a revocation ended, for the page's message and the audit trail. */
export const RevokedAuthorizationSchema = z.object({
  clientId: z.string(),
  consents: z.number().int().min(0),
  accessTokens: z.number().int().min(0),
  refreshTokens: z.number().int().min(0),
});
export type RevokedAuthorization = z.infer<typeof RevokedAuthorizationSchema>;
