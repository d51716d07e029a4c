import type { oauthProvider } from '@better-auth/oauth-provider';
import type { jwt } from 'better-auth/plugins';
import { OIDC_CLAIMS_SUPPORTED, OIDC_SCOPES, idTokenScopeClaims, profileClaims, wechatClaims, type FindWechatAccount } from './claims.js';

type OAuthProviderOptions = Parameters<typeof oauthProvider>[0];
type JwtPluginOptions = NonNullable<Parameters<typeof jwt>[0]>;

/** Where the provider sends a browser with no session, and where consent is asked: pages of our SPA. */
export const OIDC_LOGIN_PAGE = '/sign-in';
export const OIDC_CONSENT_PAGE = '/oauth/consent';

const DAY_SECONDS = 24 * 60 * 60;

export interface OidcProviderSettings {
  /** BETTER_AUTH_URL: the issuer, and where discovery is served. */
  issuer: string;
  /** OIDC_DYNAMIC_REGISTRATION: open RFC 7591 registration at the registration_endpoint. */
  dynamicRegistration: boolean;
  findWechatAccount: FindWechatAccount;
  /** A WeChat placeholder address is a label, not a mailbox: never handed to an app as `email`. */
  isPlaceholderEmail: (email: string) => boolean;
}

/**
 * The signing keys: EdDSA, kept in MongoDB (`jwks`) with the private key encrypted by the auth
 * secret (the plugin's default). A new key every 30 days; a retired key stays in the JWKS for a
 * week more, longer than any id_token lives (10 h), so tokens in flight still verify.
 */
export function jwtPluginOptions(settings: Pick<OidcProviderSettings, 'issuer'>): JwtPluginOptions {
  return {
    jwt: { issuer: settings.issuer },
    // The session JWT header on get-session is for resource servers of the plugin's own design; we issue OIDC tokens only.
    disableSettingJwtHeader: true,
    jwks: { keyPairConfig: { alg: 'EdDSA', crv: 'Ed25519' }, rotationInterval: 30 * DAY_SECONDS, gracePeriod: 7 * DAY_SECONDS },
  };
}

/** The OAuth 2.1 / OIDC provider: authorization code + PKCE, refresh rotation, our sign-in and consent pages. */
export function oauthProviderOptions(settings: OidcProviderSettings): OAuthProviderOptions {
  return {
    loginPage: OIDC_LOGIN_PAGE,
    consentPage: OIDC_CONSENT_PAGE,
    // The sign-in page names the app ("Sign in to continue to Shop") before anyone is signed in; only
    // with the signed query the provider sent it there with, and only the client's public fields.
    allowPublicClientPrelogin: true,
    scopes: [...OIDC_SCOPES],
    // No client_credentials: every token here speaks for a person who signed in.
    grantTypes: ['authorization_code', 'refresh_token'],
    codeExpiresIn: 60,
    // Any reuse of a rotated refresh token is replay: the family is revoked.
    refreshTokenReuseInterval: 0,
    allowDynamicClientRegistration: settings.dynamicRegistration,
    allowUnauthenticatedClientRegistration: settings.dynamicRegistration,
    // Without this, ANY signed-in user may create, list and edit clients (create-client, session-backed registration).
    clientPrivileges: ({ user }) => user?.role === 'admin',
    advertisedMetadata: { scopes_supported: [...OIDC_SCOPES], claims_supported: OIDC_CLAIMS_SUPPORTED },
    customUserInfoClaims: async ({ user, scopes }) => ({ ...profileClaims(user, scopes), ...(await wechatClaims(settings.findWechatAccount, user.id, scopes)) }),
    customIdTokenClaims: async ({ user, scopes }) => ({
      ...idTokenScopeClaims(user, scopes, settings.isPlaceholderEmail),
      ...(await wechatClaims(settings.findWechatAccount, user.id, scopes)),
    }),
  };
}
