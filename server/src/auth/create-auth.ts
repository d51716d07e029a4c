import { betterAuth } from 'better-auth';
import { AUTH_BASE_PATH } from '@wechat-login/shared';
import { mongodbAdapter } from 'better-auth/adapters/mongodb';
import { admin, jwt, openAPI, username } from 'better-auth/plugins';
import { oauthProvider } from '@better-auth/oauth-provider';
import type { Db, MongoClient } from 'mongodb';
import type { Logger } from '../logger.js';
import type { DatabaseCapabilities } from '../db/capabilities.js';
import { BINDING_COOKIE_NAME } from '../http/binding-cookie.js';
import { DEFAULT_PLACEHOLDER_EMAIL_DOMAIN, wechat } from '../plugins/wechat/index.js';
import { keepUnchangedUsername } from './keep-unchanged-username.js';
import { auditTrail } from './audit-trail.js';
import { userFieldRules } from './user-field-rules.js';
import type { AuditRecorder } from '../audit/types.js';
import type { SceneStore } from '../wechat/scenes/scene-store.js';
import { PROFILE_USER_FIELDS, profileCompletion } from '../profile/user-fields.js';
import { AvatarStore } from '../profile/avatar-store.js';
import { redactUrlsInText } from '../http/redact-url.js';
import type { WebAuthorization } from '../wechat/oauth/web-authorization.js';
import { copyWechatAvatar } from '../profile/wechat-avatar-copy.js';
import { recordWebAuthorization } from './web-authorization-audit.js';
import { adapterForCapabilities } from '../db/once-only-adapter.js';
import { WechatIdentities, type IdentityContext } from '../plugins/wechat/identity.js';
import { jwtPluginOptions, oauthProviderOptions } from './oidc/provider-options.js';
import { oidcUserinfoEmailFilter } from './oidc/userinfo-email-filter.js';
import { isPlaceholderEmail } from './placeholder-email.js';
import { lastSignInTracking } from './last-sign-in.js';
import { oidcTokenClientBudget } from './oidc/token-client-budget.js';
import { oidcStandardTokenErrors, oidcTokenErrorStatus } from './oidc/token-error-codes.js';
import type { RateLimiter } from '../rate-limit/middleware.js';
import type { LastSignInStore } from './last-sign-in-store.js';

/**
 * The request header our Express layer fills with the client IP it computed
 * (honouring TRUST_PROXY) and overwrites on every request, so better-auth's
 * rate limits and session IPs use the same address as our routes and can
 * never be fooled by a client-sent X-Forwarded-For.
 */
export const CLIENT_IP_HEADER = 'x-wml-client-ip';

export { AUTH_BASE_PATH };

export interface AuthDeps {
  db: Db;
  client: MongoClient;
  capabilities: DatabaseCapabilities;
  secret: string;
  baseUrl: string;
  trustedOrigins: string[];
  logger: Logger;
  /** Sign-ins, WeChat bind/unbind and admin actions are recorded here. */
  audit: AuditRecorder;
  /** Every successful sign-in is kept on its user here (time, method, IP), for the admin pages. */
  lastSignIns: LastSignInStore;
  /** Absent when WeChat sign-in is off; the plugin is still installed so its schema and client types stay the same. */
  wechat: { scenes: SceneStore; emailDomainName: string; requirePhoneConfirmation: boolean; webAuthorization: WebAuthorization; oauthScope: 'base' | 'userinfo' | 'auto' } | undefined;
  /** Avatars copied from WeChat follow the upload limit; the simulator's origin may serve them in development and tests. */
  avatars: { maxBytes: number; extraImageOrigins: readonly string[] };
  /** The OIDC provider (issue 15); dynamic client registration is off unless OIDC_DYNAMIC_REGISTRATION says so. */
  oidc?: { dynamicRegistration: boolean };
  /** The token endpoint's per-application budget is charged here (the per-address budgets sit in front of better-auth). */
  rateLimiter?: Pick<RateLimiter, 'take'>;
}

export function createAuth(deps: AuthDeps) {
  const log = deps.logger.child({ component: 'better-auth' });
  const avatars = new AvatarStore(deps.db);
  const avatarCopies = { avatars, publicBaseUrl: deps.baseUrl, maxBytes: deps.avatars.maxBytes, extraImageOrigins: deps.avatars.extraImageOrigins };
  const placeholderDomain = deps.wechat?.emailDomainName ?? DEFAULT_PLACEHOLDER_EMAIL_DOMAIN;
  // Claims are computed on requests, after betterAuth() returned and set the context here.
  const authContext: { current?: Promise<IdentityContext> } = {};
  const findWechatAccount = async (userId: string) => new WechatIdentities(await authContext.current!).findAccountOfUser(userId);
  const auth = betterAuth({
    appName: 'WeChat Login',
    baseURL: deps.baseUrl,
    basePath: AUTH_BASE_PATH,
    secret: deps.secret,
    trustedOrigins: deps.trustedOrigins,
    // Transactions only where the server has them (a replica set); FerretDB and
    // a standalone mongod refuse them, so the adapter must not try.
    // Codes and refresh tokens are single-use only if the adapter's conditional writes are atomic;
    // where they are not (FerretDB), the adapter claims a key first.
    database: adapterForCapabilities(
      deps.capabilities.transactions ? mongodbAdapter(deps.db, { client: deps.client, transaction: true }) : mongodbAdapter(deps.db, { transaction: false }),
      deps.db,
      deps.capabilities,
    ),
    // The jwt plugin's GET /token hands a session JWT to any signed-in browser script: not an OIDC
    // token and nothing our apps use, so it is not served.
    disabledPaths: ['/token'],
    emailAndPassword: {
      enabled: true,
      minPasswordLength: 8,
      maxPasswordLength: 128,
    },
    session: {
      expiresIn: 60 * 60 * 24 * 7,
      updateAge: 60 * 60 * 24,
    },
    user: {
      // No mail is sent by this service, so a new address takes effect at once
      // (WeChat users start with an unverified placeholder address).
      changeEmail: { enabled: true, updateEmailWithoutVerification: true },
      additionalFields: PROFILE_USER_FIELDS,
    },
    // Our Express limiter sits in front of /api/auth with budgets shared through
    // MongoDB and a Retry-After on every 429; better-auth's own would count twice.
    // (The wechat plugin still declares its rule, for apps that use better-auth's limiter.)
    rateLimit: { enabled: false },
    advanced: {
      useSecureCookies: deps.baseUrl.startsWith('https://'),
      // better-auth skips its origin/CSRF check under test runners; we never do,
      // so the tests exercise the same protection production has.
      disableOriginCheck: false,
      ipAddress: { ipAddressHeaders: [CLIENT_IP_HEADER] },
    },
    telemetry: { enabled: false },
    logger: {
      level: 'info',
      // better-auth writes URLs into its messages (an untrusted callbackURL, say): their queries are redacted.
      log: (level, message, ...args) => {
        log[level]({ details: args.length > 0 ? args.map(describeLogArg) : undefined }, `[API] better-auth: ${redactUrlsInText(message)}`);
      },
    },
    plugins: [
      keepUnchangedUsername(),
      profileCompletion({ placeholderEmailDomain: deps.wechat?.emailDomainName, avatars }),
      // Before the audit trail: it records the OAuth error the app received.
      oidcStandardTokenErrors(),
      auditTrail(deps.audit, log),
      lastSignInTracking(deps.lastSignIns),
      username(),
      admin({ defaultRole: 'user', adminRoles: ['admin'] }),
      // After every plugin whose user database hooks return `{...user}`: each hook gets the
      // original data and a later one would put back the untrimmed name this one stores.
      userFieldRules({ placeholderEmailDomain: deps.wechat?.emailDomainName ?? DEFAULT_PLACEHOLDER_EMAIL_DOMAIN, publicBaseUrl: deps.baseUrl }),
      // The reference page loads Scalar from a CDN, which our CSP (and offline
      // intranets) refuse: serve the schema only, for any OpenAPI viewer.
      openAPI({ disableDefaultReference: true }),
      jwt(jwtPluginOptions({ issuer: deps.baseUrl })),
      oauthProvider(
        oauthProviderOptions({
          issuer: deps.baseUrl,
          dynamicRegistration: deps.oidc?.dynamicRegistration ?? false,
          findWechatAccount,
          isPlaceholderEmail: (email) => isPlaceholderEmail(email, placeholderDomain),
        }),
      ),
      oidcUserinfoEmailFilter(placeholderDomain),
      ...(deps.rateLimiter ? [oidcTokenClientBudget(deps.rateLimiter)] : []),
      wechat({
        scenes: deps.wechat?.scenes,
        bindingCookieName: BINDING_COOKIE_NAME,
        emailDomainName: deps.wechat?.emailDomainName,
        requirePhoneConfirmation: deps.wechat?.requirePhoneConfirmation,
        webAuthorization: deps.wechat && {
          flow: deps.wechat.webAuthorization,
          scopeStrategy: deps.wechat.oauthScope,
          copyAvatar: (userId, imageUrl) => copyWechatAvatar(avatarCopies, userId, imageUrl),
        },
        onWebAuthorization: (event) => recordWebAuthorization(deps.audit, event),
      }),
      // Last: answers a token refusal with the status of the error the hooks above settled on.
      oidcTokenErrorStatus(),
    ],
  });
  // The same widening runtime.ts does: the context typed by these options is the general one.
  authContext.current = auth.$context as unknown as Promise<IdentityContext>;
  return auth;
}

export type Auth = ReturnType<typeof createAuth>;

function describeLogArg(arg: unknown): unknown {
  if (arg instanceof Error) return { name: arg.name, message: redactUrlsInText(arg.message) };
  if (typeof arg === 'string') return redactUrlsInText(arg);
  return arg;
}

