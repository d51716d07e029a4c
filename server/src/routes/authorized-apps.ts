import { Router } from 'express';
import type { AuthContext } from '@better-auth/core';
import { ClientIdParamSchema, type AuthorizedAppList, type RevokedAuthorization, type SuccessBody } from '@wechat-login/shared';
import type { Auth } from '../auth/create-auth.js';
import { listAuthorizedApps, revokeAuthorizedApp } from '../auth/oidc/authorized-apps.js';
import type { AuditRecorder } from '../audit/types.js';
import { requestAuditMeta } from '../audit/request-meta.js';
import { AppError } from '../errors.js';
import { requireSignedIn, sessionOf } from '../http/require-signed-in.js';
import { requireTrustedOrigin } from '../http/require-trusted-origin.js';
import type { RateLimiter } from '../rate-limit/middleware.js';
import { RATE_LIMIT_RULES } from '../rate-limit/rules.js';

export interface AuthorizedAppsRouterDeps {
  auth: Auth;
  authContext: Pick<AuthContext, 'adapter'>;
  audit: AuditRecorder;
  rateLimiter: RateLimiter;
}

/**
 * `/api/v1/me/authorized-apps`: the apps the signed-in person allowed, and `DELETE …/:clientId` to
 * revoke one (consent and tokens). Middleware per route: other routers share `/api/v1/me`.
 */
export function authorizedAppsRouter(deps: AuthorizedAppsRouterDeps): Router {
  const router = Router();
  const signedIn = requireSignedIn(deps.auth);
  const sameOrigin = requireTrustedOrigin(deps.auth);
  const limit = deps.rateLimiter.limit(RATE_LIMIT_RULES.ownProfile);

  router.get('/authorized-apps', limit, signedIn, async (_req, res) => {
    const body: SuccessBody<AuthorizedAppList> = { success: true, data: { items: await listAuthorizedApps(deps.authContext, sessionOf(res).user.id) } };
    res.json(body);
  });

  router.delete('/authorized-apps/:clientId', limit, sameOrigin, signedIn, async (req, res) => {
    const clientId = ClientIdParamSchema.safeParse(req.params.clientId);
    if (!clientId.success) throw new AppError(400, 'INVALID_REQUEST', 'That is not a client id.');
    const userId = sessionOf(res).user.id;
    const revoked = await revokeAuthorizedApp(deps.authContext, userId, clientId.data);
    // The same answer whether the app is unknown or authorized by someone else: nothing of this person's was found.
    if (!revoked) throw new AppError(404, 'NOT_FOUND', 'You have not authorized this app (or it was already revoked).');
    deps.audit.record({ type: 'oidc.consent-revoked', outcome: 'success', userId, ...requestAuditMeta(req), details: { clientId: revoked.clientId } });
    req.log.info({ userId, clientId: revoked.clientId, accessTokens: revoked.accessTokens, refreshTokens: revoked.refreshTokens }, '[API] authorized app revoked');
    const body: SuccessBody<RevokedAuthorization> = { success: true, data: revoked };
    res.json(body);
  });

  return router;
}
