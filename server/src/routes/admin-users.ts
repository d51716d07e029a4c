import { Router } from 'express';
import { AdminUsersQuerySchema, type AdminUser, type AdminUserDetail, type Page, type SuccessBody } from '@wechat-login/shared';
import type { Auth } from '../auth/create-auth.js';
import { parseQuery } from '../http/parse-input.js';
import { adminIdOf, requireAdmin } from '../http/require-admin.js';
import { requireTrustedOrigin } from '../http/require-trusted-origin.js';
import type { AuditRecorder } from '../audit/types.js';
import { recordingOutcome } from '../audit/record-outcome.js';
import { requestAuditMeta } from '../audit/request-meta.js';
import { getAdminUserDetail, listAdminUsers, unbindWechatAsAdmin } from '../admin/users-service.js';
import { adminUsersExportRouter } from './admin-users-export.js';
import { adminUserAvatarRouter, type AdminUserAvatarDeps } from './admin-user-avatar.js';

/** `/api/v1/admin/users`: the admin users table and its CSV export, a user's detail, unbinding WeChat, and the user's avatar. */
export function adminUsersRouter(auth: Auth, deps: AdminUserAvatarDeps & { audit: AuditRecorder }): Router {
  const router = Router();
  router.use(requireAdmin(auth));
  // The unbind and the avatar are cookie-authenticated writes: the same CSRF rule as better-auth's own.
  router.use(requireTrustedOrigin(auth));
  // Before `/users/:id`, which would take `export.csv` for an id.
  router.use(adminUsersExportRouter(deps));
  router.use(adminUserAvatarRouter(deps));

  router.get('/users', async (req, res) => {
    const body: SuccessBody<Page<AdminUser>> = { success: true, data: await listAdminUsers(deps, parseQuery(AdminUsersQuerySchema, req)) };
    res.json(body);
  });

  router.get('/users/:id', async (req, res) => {
    const body: SuccessBody<AdminUserDetail> = { success: true, data: await getAdminUserDetail(deps, req.params.id) };
    res.json(body);
  });

  router.post('/users/:id/unbind-wechat', async (req, res) => {
    const event = { type: 'admin.wechat-unbound', userId: req.params.id, actorId: adminIdOf(res), ...requestAuditMeta(req) } as const;
    await recordingOutcome(deps.audit, event, () => unbindWechatAsAdmin(deps, req.params.id));
    req.log.info({ userId: req.params.id }, '[API] admin unbound a user\'s WeChat');
    res.json({ success: true, data: { unbound: true } });
  });

  return router;
}
