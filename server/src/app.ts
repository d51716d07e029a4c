import express, { type Express } from 'express';
import { toNodeHandler } from 'better-auth/node';
import type { Db } from 'mongodb';
import type { AuthContext } from '@better-auth/core';
import type { Auth } from './auth/create-auth.js';
import { AUTH_BASE_PATH, CLIENT_IP_HEADER } from './auth/create-auth.js';
import type { Logger } from './logger.js';
import { apiNotFound, errorHandler } from './http/error-handler.js';
import { requestLogging } from './http/request-context.js';
import { corsForTrustedOrigins, securityHeaders } from './http/security.js';
import { spaRouter } from './http/spa.js';
import { compressDynamicResponses } from './http/compression.js';
import { healthRouter } from './routes/health.js';
import { guardAuthRequest } from './http/auth-request-guard.js';
import { refuseNonCanonicalApiPaths, routedPathBelow } from './http/canonical-path.js';
import { wechatPublicRouter } from './routes/wechat-public.js';
import { scanConfirmationRouter } from './routes/scan-confirmation.js';
import { adminUsersRouter } from './routes/admin-users.js';
import { adminApplicationsRouter } from './routes/admin-applications.js';
import { UserDirectory } from './db/user-directory.js';
import { siteRouter } from './routes/site.js';
import { avatarsRouter, ownProfileRouter } from './routes/profile.js';
import { AvatarStore } from './profile/avatar-store.js';
import { AVATARS_PATH } from './profile/profile-service.js';
import { adminAuditRouter, ownSignInsRouter } from './routes/audit-events.js';
import { authorizedAppsRouter } from './routes/authorized-apps.js';
import type { AuditLog } from './audit/audit-log.js';
import type { LastSignInStore } from './auth/last-sign-in-store.js';
import { WECHAT_PUBLIC_PATH, type SiteInfo } from '@wechat-login/shared';
import { betterAuthShape, type RateLimiter } from './rate-limit/middleware.js';
import { authRuleFor } from './rate-limit/rules.js';
import type { WechatModule } from './wechat/module.js';
import { WEBHOOK_PATH, wechatWebhookRouter } from './routes/wechat-webhook.js';
import { WechatIdentities } from './plugins/wechat/identity.js';
import type { Router } from 'express';
import { wechatVerifyFileRouter } from './routes/wechat-verify-file.js';
import { oidcCors } from './http/oidc-cors.js';
import { oidcDiscoveryRouter } from './routes/oidc-discovery.js';
import { OIDC_SCOPES } from './auth/oidc/claims.js';

export interface AppDeps {
  auth: Auth;
  /** better-auth's context (`await auth.$context`): its adapters and schema, for reads and writes of its collections. */
  authContext: AuthContext;
  rateLimiter: RateLimiter;
  /** The audit trail: read by the Activity page and the account page, written by our admin routes. */
  audit: AuditLog;
  /** Each user's latest sign-in: the admin pages wait for the ones this process is still writing. */
  lastSignIns: LastSignInStore;
  db: Db;
  logger: Logger;
  /** Express `trust proxy`: only when set do client IPs come from X-Forwarded-For. */
  trustProxy: boolean | number | string;
  trustedOrigins: string[];
  /** True when the public URL is https: HSTS and secure cookies. */
  https: boolean;
  /** The built admin UI; not served when absent (tests, `npm run dev`). */
  spaDistDir?: string | undefined;
  /** Undefined when WeChat sign-in is off (production without credentials). */
  wechat?: WechatModule | undefined;
  /** Profile completion: the largest avatar accepted, and the public URL avatars are served under. */
  profile: { avatarMaxBytes: number; publicBaseUrl: string };
  /** Public facts for the sign-in page (site name, WeChat availability). */
  site: SiteInfo;
  /** Web authorization's routes: the confirmation link's opener check and WeChat's domain-check file. */
  webAuthorization?: { verifyConfirmationOpener: boolean; verifyFile: { name: string; content: string } | undefined };
  /** The WeChat simulator, in development without credentials only. */
  simulator?: { mountPath: string; router: Router } | undefined;
}

export const JSON_BODY_LIMIT = '100kb';

/** Builds the Express app without listening, so tests drive it with supertest. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.trustProxy);
  app.set('query parser', 'simple');
  // Every JSON and HTML answer above 1 kB goes out brotli- or gzip-compressed; never the webhook's replies to WeChat.
  compressDynamicResponses(app, { exceptPaths: [WEBHOOK_PATH] });

  // The header that hands better-auth our client IP is ours alone: whatever a client sends under
  // that name is dropped on every path, so no later reader (better-auth's getSession on /api/v1 too)
  // can be handed an address the client chose.
  app.use((req, _res, next) => {
    delete req.headers[CLIENT_IP_HEADER];
    next();
  });
  app.use(requestLogging(deps.logger, { behindTrustedProxy: deps.trustProxy !== false && deps.trustProxy !== 0 }));
  app.use(securityHeaders({ https: deps.https }));
  // Apps on other origins call the OIDC endpoints (discovery, JWKS, token, userinfo, revoke) without cookies.
  app.use(oidcCors());
  app.use(corsForTrustedOrigins(deps.trustedOrigins));
  // Before any limiter or router: they and better-auth must all see the same path.
  app.use(refuseNonCanonicalApiPaths({ apiBasePath: '/api', authBasePath: AUTH_BASE_PATH }));
  app.use(healthRouter(deps.db));
  // OIDC clients look for discovery at the issuer (BETTER_AUTH_URL) itself.
  app.use(oidcDiscoveryRouter(deps.auth));

  // better-auth reads the raw body itself, so it sits before any body parser.
  const authHandler = toNodeHandler(deps.auth);
  // The rule comes from the path better-auth will route to, not the one Express matched.
  const authRateLimit = deps.rateLimiter.limitBy((req) => authRuleFor(routedPathBelow(AUTH_BASE_PATH, req.originalUrl)), betterAuthShape);
  app.all(`${AUTH_BASE_PATH}/*splat`, guardAuthRequest, authRateLimit, (req, res, next) => {
    req.headers[CLIENT_IP_HEADER] = req.ip ?? req.socket.remoteAddress ?? '';
    authHandler(req, res).catch(next);
  });

  // The scans and answers of a WeChat user show in their history once the identity module knows them.
  const wechatIdentities = new WechatIdentities(deps.authContext);
  const findUserIdByOpenid = (openid: string) => wechatIdentities.findUserIdByOpenid(openid);
  // The webhook reads raw XML itself, so it too sits before the JSON parser.
  if (deps.wechat) app.use(WEBHOOK_PATH, wechatWebhookRouter({ handler: deps.wechat.webhook, rateLimiter: deps.rateLimiter, audit: deps.audit, findUserIdByOpenid }));
  if (deps.simulator) app.use(deps.simulator.mountPath, deps.simulator.router);

  app.use(express.json({ limit: JSON_BODY_LIMIT }));
  if (deps.wechat) {
    const { api, scenes, notifier, sceneTtlSeconds } = deps.wechat;
    const { audit } = deps;
    app.use(WECHAT_PUBLIC_PATH, wechatPublicRouter({ api, scenes, notifier, sceneTtlSeconds, secureCookies: deps.https, rateLimiter: deps.rateLimiter, audit }));
    const opener = deps.webAuthorization?.verifyConfirmationOpener
      ? { webAuthorization: deps.wechat.webAuthorization, proofs: deps.wechat.openerProofs, publicBaseUrl: deps.profile.publicBaseUrl, secureCookies: deps.https }
      : undefined;
    app.use(
      WECHAT_PUBLIC_PATH,
      scanConfirmationRouter({ scenes, notifier, links: deps.wechat.confirmationLinks, siteName: deps.site.siteName, rateLimiter: deps.rateLimiter, audit, findUserIdByOpenid, opener }),
    );
  }
  app.use('/api/v1/pub', siteRouter(deps.site));
  app.use('/api/v1/admin', adminAuditRouter(deps.auth, deps.audit, deps.authContext));
  app.use('/api/v1/admin', adminApplicationsRouter({ auth: deps.auth, context: deps.authContext, issuer: deps.profile.publicBaseUrl, providerScopes: OIDC_SCOPES, db: deps.db, audit: deps.audit }));
  const directory = new UserDirectory(deps.db, deps.authContext.tables);
  const avatars = new AvatarStore(deps.db);
  app.use(
    '/api/v1/admin',
    adminUsersRouter(deps.auth, {
      auth: deps.authContext,
      directory,
      placeholderEmailDomain: deps.site.placeholderEmailDomain,
      audit: deps.audit,
      lastSignIns: deps.lastSignIns,
      avatars,
      rateLimiter: deps.rateLimiter,
      ...deps.profile,
    }),
  );
  app.use('/api/v1/me', ownSignInsRouter(deps.auth, deps.audit));
  app.use('/api/v1/me', authorizedAppsRouter({ auth: deps.auth, authContext: deps.authContext, audit: deps.audit, rateLimiter: deps.rateLimiter }));
  app.use(AVATARS_PATH, avatarsRouter({ avatars, rateLimiter: deps.rateLimiter }));
  app.use('/api/v1/me', ownProfileRouter({ auth: deps.auth, avatars, rateLimiter: deps.rateLimiter, ...deps.profile }));
  app.use('/api', apiNotFound);

  if (deps.webAuthorization?.verifyFile) app.use(wechatVerifyFileRouter(deps.webAuthorization.verifyFile));
  const spa = deps.spaDistDir ? spaRouter(deps.spaDistDir) : undefined;
  if (spa) app.use(spa);

  app.use(errorHandler);
  return app;
}
