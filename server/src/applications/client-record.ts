import { applicationKindOf, type Application } from '@wechat-login/shared';

/** The provider's `oauthClient` model, as better-auth's adapter reads it (the fields we show or change). */
export const OAUTH_CLIENT_MODEL = 'oauthClient';

/** The rows that belong to a client and go with it when it is deleted. */
export const CLIENT_DEPENDENT_MODELS = ['oauthAccessToken', 'oauthRefreshToken', 'oauthConsent', 'oauthClientResource'] as const;

export interface OAuthClientRecord {
  id: string;
  clientId: string;
  /** A hash of the secret (the plugin's default "hashed" storage); never the secret itself. */
  clientSecret?: string | null;
  name?: string | null;
  icon?: string | null;
  redirectUris?: string[] | null;
  postLogoutRedirectUris?: string[] | null;
  tokenEndpointAuthMethod?: string | null;
  skipConsent?: boolean | null;
  scopes?: string[] | null;
  requirePKCE?: boolean | null;
  /** Set for clients an admin registered (the plugin records who); absent after RFC 7591 registration without a session. */
  userId?: string | null;
  referenceId?: string | null;
  createdAt?: Date | string | null;
  updatedAt?: Date | string | null;
}

function dateOrNull(value: Date | string | null | undefined): Date | null {
  return value ? new Date(value) : null;
}

/**
 * The client as the admin API shows it, never its secret hash. Clients that came in by dynamic
 * registration may lack fields we always set: absent scopes mean the provider's full list.
 */
export function toApplication(record: OAuthClientRecord, providerScopes: readonly string[]): Application {
  const tokenEndpointAuthMethod = record.tokenEndpointAuthMethod ?? 'client_secret_basic';
  const redirectUris = record.redirectUris ?? [];
  const isPublic = tokenEndpointAuthMethod === 'none';
  return {
    clientId: record.clientId,
    name: record.name ?? '',
    logoUrl: record.icon || null,
    type: isPublic ? 'public' : 'confidential',
    tokenEndpointAuthMethod,
    kind: applicationKindOf(redirectUris),
    redirectUris,
    postLogoutRedirectUris: record.postLogoutRedirectUris ?? [],
    firstParty: record.skipConsent === true,
    scopes: record.scopes ?? [...providerScopes],
    // The plugin's rule: public clients always, others unless turned off.
    requirePkce: isPublic || record.requirePKCE !== false,
    registeredBy: record.userId || record.referenceId ? 'admin' : 'dynamic',
    createdAt: dateOrNull(record.createdAt),
    updatedAt: dateOrNull(record.updatedAt),
  };
}
