import type { AuthContext } from '@better-auth/core';
import {
  applicationKindOf, type Application, type ApplicationList, type ApplicationWithSecret, type CreateApplication, type UpdateApplication,
} from '@wechat-login/shared';
import type { Auth } from '../auth/create-auth.js';
import { AppError, errorFromTable } from '../errors.js';
import { CLIENT_DEPENDENT_MODELS, OAUTH_CLIENT_MODEL, toApplication, type OAuthClientRecord } from './client-record.js';
import { newClientSecret } from './client-secret.js';
import { applicationNotFound, APPLICATION_ERRORS, fromProviderRefusal } from './application-errors.js';
import { CLIENT_ID_PATTERN } from '../auth/oidc/client-id.js';

export interface ApplicationsDeps {
  auth: Auth;
  /** better-auth's adapter: clients are read and changed through it, never a raw collection. */
  context: Pick<AuthContext, 'adapter'>;
  /** BETTER_AUTH_URL, the provider's issuer. */
  issuer: string;
  /** The scopes the provider offers (what a client without its own list may ask for). */
  providerScopes: readonly string[];
}

/** A list this long is far beyond any product's apps; it bounds one read. */
export const MAX_APPLICATIONS_LISTED = 500;
/** Every app signs people in with a code, and may keep them signed in with refresh tokens (offline_access). */
const GRANT_TYPES = ['authorization_code', 'refresh_token'];

async function findRecord(deps: ApplicationsDeps, clientId: string): Promise<OAuthClientRecord> {
  const record = CLIENT_ID_PATTERN.test(clientId)
    ? await deps.context.adapter.findOne<OAuthClientRecord>({ model: OAUTH_CLIENT_MODEL, where: [{ field: 'clientId', value: clientId }] })
    : null;
  if (!record) throw applicationNotFound();
  return record;
}

export function providerEndpoints(issuer: string): ApplicationList['provider'] {
  return { issuer, discoveryUrl: `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration` };
}

export async function listApplications(deps: ApplicationsDeps): Promise<ApplicationList> {
  const records = await deps.context.adapter.findMany<OAuthClientRecord>({
    model: OAUTH_CLIENT_MODEL,
    limit: MAX_APPLICATIONS_LISTED,
    sortBy: { field: 'createdAt', direction: 'desc' },
  });
  return { items: records.map((record) => toApplication(record, deps.providerScopes)), provider: providerEndpoints(deps.issuer) };
}

export async function getApplication(deps: ApplicationsDeps, clientId: string): Promise<Application> {
  return toApplication(await findRecord(deps, clientId), deps.providerScopes);
}

/**
 * Registers a client through the provider's own server-only admin endpoint, with the admin's session
 * (it checks clientPrivileges, generates the id and secret, stores the secret's hash and validates
 * the metadata again). The secret is in this answer and nowhere else.
 */
export async function createApplication(deps: ApplicationsDeps, input: CreateApplication, adminHeaders: Headers): Promise<ApplicationWithSecret> {
  const isPublic = input.type === 'public';
  let created: { client_id: string; client_secret?: string | undefined };
  try {
    created = await deps.auth.api.adminCreateOAuthClient({
      headers: adminHeaders,
      body: {
        client_name: input.name,
        ...(input.logoUrl ? { logo_uri: input.logoUrl } : {}),
        redirect_uris: input.redirectUris,
        ...(input.postLogoutRedirectUris.length > 0 ? { post_logout_redirect_uris: input.postLogoutRedirectUris } : {}),
        token_endpoint_auth_method: isPublic ? 'none' : input.secretAuthMethod,
        application_type: applicationKindOf(input.redirectUris),
        grant_types: GRANT_TYPES,
        response_types: ['code'],
        scope: input.scopes.join(' '),
        skip_consent: input.firstParty,
        require_pkce: isPublic || input.requirePkce,
        // Admin-registered apps may sign their users out here (RP-initiated logout).
        enable_end_session: true,
      },
    });
  } catch (error) {
    throw fromProviderRefusal(error) ?? error;
  }
  const application = await getApplication(deps, created.client_id);
  return { application, clientSecret: isPublic ? null : (created.client_secret ?? null) };
}

/** The record's fields for the changes asked; the kind follows the redirect URIs (the provider's rule for http and app schemes). */
function recordChanges(record: OAuthClientRecord, changes: UpdateApplication): Partial<OAuthClientRecord> & Record<string, unknown> {
  const isPublic = (record.tokenEndpointAuthMethod ?? 'client_secret_basic') === 'none';
  if (isPublic && changes.requirePkce === false) {
    throw new AppError(400, 'INVALID_APPLICATION', 'A public application always requires PKCE: it has no secret to prove itself with.', { parameter: 'requirePkce' });
  }
  return {
    ...(changes.name === undefined ? {} : { name: changes.name }),
    ...(changes.logoUrl === undefined ? {} : { icon: changes.logoUrl === '' ? null : changes.logoUrl }),
    ...(changes.redirectUris === undefined ? {} : { redirectUris: changes.redirectUris, applicationType: applicationKindOf(changes.redirectUris) }),
    ...(changes.postLogoutRedirectUris === undefined ? {} : { postLogoutRedirectUris: changes.postLogoutRedirectUris }),
    ...(changes.firstParty === undefined ? {} : { skipConsent: changes.firstParty }),
    ...(changes.scopes === undefined ? {} : { scopes: changes.scopes }),
    ...(changes.requirePkce === undefined ? {} : { requirePKCE: changes.requirePkce }),
  };
}

/**
 * Changes an application for any admin, whoever registered it (the provider's own update endpoint
 * lets only the admin who created a client change it). Input went through the shared schema, which
 * holds the same redirect-URI rules as the provider.
 */
export async function updateApplication(deps: ApplicationsDeps, clientId: string, changes: UpdateApplication): Promise<Application> {
  const record = await findRecord(deps, clientId);
  const updated = await deps.context.adapter.update<OAuthClientRecord>({
    model: OAUTH_CLIENT_MODEL,
    where: [{ field: 'clientId', value: record.clientId }],
    update: { ...recordChanges(record, changes), updatedAt: new Date() },
  });
  if (!updated) throw applicationNotFound();
  return toApplication(updated, deps.providerScopes);
}

/**
 * Deletes the client, then its tokens, consents and resource links: its refresh tokens stop working at
 * once (the client is gone) and its access tokens stop at userinfo and introspection.
 */
export async function deleteApplication(deps: ApplicationsDeps, clientId: string): Promise<Application> {
  const record = await findRecord(deps, clientId);
  const { adapter } = deps.context;
  await adapter.delete({ model: OAUTH_CLIENT_MODEL, where: [{ field: 'clientId', value: record.clientId }] });
  for (const model of CLIENT_DEPENDENT_MODELS) await adapter.deleteMany({ model, where: [{ field: 'clientId', value: record.clientId }] });
  return toApplication(record, deps.providerScopes);
}

/** A new secret for a confidential application; the old one is refused from this moment. Shown once, stored as a hash. */
export async function rotateApplicationSecret(deps: ApplicationsDeps, clientId: string): Promise<ApplicationWithSecret> {
  const record = await findRecord(deps, clientId);
  if ((record.tokenEndpointAuthMethod ?? 'client_secret_basic') === 'none' || !record.clientSecret) throw errorFromTable(APPLICATION_ERRORS, 'APPLICATION_HAS_NO_SECRET');
  const { secret, storedHash } = newClientSecret();
  const updated = await deps.context.adapter.update<OAuthClientRecord>({
    model: OAUTH_CLIENT_MODEL,
    where: [{ field: 'clientId', value: record.clientId }],
    update: { clientSecret: storedHash, updatedAt: new Date() },
  });
  if (!updated) throw applicationNotFound();
  return { application: toApplication(updated, deps.providerScopes), clientSecret: secret };
}
