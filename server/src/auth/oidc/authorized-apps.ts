import type { AuthContext } from '@better-auth/core';
import type { AuthorizedApp, RevokedAuthorization } from '@wechat-login/shared';

/** better-auth's adapter: its model names and field mapping, never a raw collection. */
export type AuthorizedAppsContext = Pick<AuthContext, 'adapter'>;

/** The provider's rows, as far as this module reads them (its schema: oauthConsent, oauthClient). */
interface ConsentRow {
  id: string;
  clientId: string;
  userId: string;
  scopes: string[] | string;
  createdAt: Date;
  updatedAt: Date;
}

interface ClientRow {
  clientId: string;
  name?: string | null;
  icon?: string | null;
  uri?: string | null;
  disabled?: boolean | null;
}

/** Consents per person are few (one per app); the list is bounded all the same. */
const MAX_AUTHORIZED_APPS = 200;

/**
 * The apps `userId` allowed on the consent page, newest first: the consent's scopes and dates, the
 * client's name and https links. A consent whose app was deleted is not shown (the app is gone, and
 * its tokens with it).
 */
export async function listAuthorizedApps(context: AuthorizedAppsContext, userId: string): Promise<AuthorizedApp[]> {
  const consents = await context.adapter.findMany<ConsentRow>({
    model: 'oauthConsent',
    where: [{ field: 'userId', value: userId }],
    sortBy: { field: 'updatedAt', direction: 'desc' },
    limit: MAX_AUTHORIZED_APPS,
  });
  if (consents.length === 0) return [];
  const clientIds = [...new Set(consents.map((consent) => consent.clientId))];
  const clients = await context.adapter.findMany<ClientRow>({ model: 'oauthClient', where: [{ field: 'clientId', operator: 'in', value: clientIds }] });
  const byId = new Map(clients.map((client) => [client.clientId, client]));
  return consents.flatMap((consent) => {
    const client = byId.get(consent.clientId);
    if (!client) return [];
    return [
      {
        clientId: consent.clientId,
        name: client.name ?? null,
        logoUrl: httpsUrlOrNull(client.icon),
        homeUrl: httpsUrlOrNull(client.uri),
        scopes: scopeList(consent.scopes),
        authorizedAt: new Date(consent.createdAt),
        updatedAt: new Date(consent.updatedAt),
      },
    ];
  });
}

/**
 * Forgets `userId`'s consent to `clientId` and ends that app's tokens for them: the access tokens
 * (userinfo refuses them at once) and the refresh tokens (the app can no longer renew), as the
 * provider does itself when a refresh token is replayed. Another person's rows are never matched:
 * every condition names `userId`. Nothing found is null (the route answers 404).
 */
export async function revokeAuthorizedApp(context: AuthorizedAppsContext, userId: string, clientId: string): Promise<RevokedAuthorization | null> {
  const owned = [
    { field: 'userId', value: userId },
    { field: 'clientId', value: clientId },
  ];
  // The consent first: once it is gone the next authorization asks again, whatever happens to the tokens.
  const consents = await context.adapter.deleteMany({ model: 'oauthConsent', where: owned });
  const accessTokens = await context.adapter.deleteMany({ model: 'oauthAccessToken', where: owned });
  const refreshTokens = await context.adapter.deleteMany({ model: 'oauthRefreshToken', where: owned });
  if (consents + accessTokens + refreshTokens === 0) return null;
  return { clientId, consents, accessTokens, refreshTokens };
}

/** The provider stores scopes as an array; older rows may hold a space-separated string. */
function scopeList(scopes: string[] | string): string[] {
  return Array.isArray(scopes) ? scopes : scopes.split(' ').filter(Boolean);
}

/** Only https links are handed to the page: a `javascript:` or `http:` logo is no logo. */
function httpsUrlOrNull(value: string | null | undefined): string | null {
  if (!value) return null;
  try {
    return new URL(value).protocol === 'https:' ? value : null;
  } catch {
    return null;
  }
}
