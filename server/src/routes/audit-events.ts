import { Router } from 'express';
import { AuditEventsQuerySchema, RECENT_SIGN_INS_LIMIT, type AuditEventPage, type RecentSignIns, type SuccessBody } from '@wechat-login/shared';
import type { Auth } from '../auth/create-auth.js';
import type { AuditLog } from '../audit/audit-log.js';
import { parseQuery } from '../http/parse-input.js';
import { withUserNames } from '../admin/user-names.js';
import type { IdentityContext } from '../plugins/wechat/identity.js';
import { requireAdmin } from '../http/require-admin.js';
import { requireSignedIn, sessionOf } from '../http/require-signed-in.js';

/** `/api/v1/admin/audit-events`: the Activity page, filtered and paginated, newest first. */
export function adminAuditRouter(auth: Auth, audit: AuditLog, authContext: Pick<IdentityContext, 'adapter'>): Router {
  const router = Router();
  router.get('/audit-events', requireAdmin(auth), async (req, res) => {
    const page = await audit.list(parseQuery(AuditEventsQuerySchema, req));
    const body: SuccessBody<AuditEventPage> = { success: true, data: { ...page, items: await withUserNames(authContext, page.items) } };
    res.json(body);
  });
  return router;
}

/** `/api/v1/me/sign-ins`: the caller's own recent sign-in attempts, for their account page. */
export function ownSignInsRouter(auth: Auth, audit: AuditLog): Router {
  const router = Router();
  router.get('/sign-ins', requireSignedIn(auth), async (_req, res) => {
    const userId = sessionOf(res).user.id;
    const body: SuccessBody<RecentSignIns> = { success: true, data: { items: await audit.recentSignIns(userId, RECENT_SIGN_INS_LIMIT) } };
    res.json(body);
  });
  return router;
}
