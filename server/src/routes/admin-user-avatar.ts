import { Router, type ErrorRequestHandler, type Response } from 'express';
import type { AdminUserDetail, SuccessBody } from '@wechat-login/shared';
import type { AuditRecorder } from '../audit/types.js';
import { recordingOutcome } from '../audit/record-outcome.js';
import { requestAuditMeta } from '../audit/request-meta.js';
import { adminIdOf } from '../http/require-admin.js';
import { readAvatarUpload } from '../profile/avatar-upload.js';
import type { RateLimiter } from '../rate-limit/middleware.js';
import { RATE_LIMIT_RULES } from '../rate-limit/rules.js';
import { removeAvatarAsAdmin, replaceAvatarAsAdmin, type AdminAvatarDeps } from '../admin/user-avatar.js';

export interface AdminUserAvatarDeps extends AdminAvatarDeps {
  audit: AuditRecorder;
  rateLimiter: RateLimiter;
  /** AVATAR_MAX_BYTES: the same limit as the user's own upload. */
  avatarMaxBytes: number;
}

/** As on the user's own upload: a refusal before the body was read closes the connection instead of draining it. */
const closeUnreadUpload: ErrorRequestHandler = (error, req, res, next) => {
  if (!req.complete) res.setHeader('Connection', 'close');
  next(error);
};

/**
 * `PUT|DELETE /users/:id/avatar` below `/api/v1/admin`, mounted by adminUsersRouter behind its admin
 * and same-origin checks. The body of the PUT is the image itself, checked as the user's own upload
 * is (its bytes decide the type, AVATAR_MAX_BYTES the size); both answer the updated detail.
 */
export function adminUserAvatarRouter(deps: AdminUserAvatarDeps): Router {
  const router = Router();
  // The upload budget per IP, shared with the admin's own uploads.
  const limitUploads = deps.rateLimiter.limit(RATE_LIMIT_RULES.avatarUpload);
  const send = (res: Response, data: AdminUserDetail) => res.json({ success: true, data } satisfies SuccessBody<AdminUserDetail>);

  router.put('/users/:id/avatar', limitUploads, async (req, res) => {
    const userId = String(req.params.id);
    const event = { type: 'admin.avatar-replaced', userId, actorId: adminIdOf(res), ...requestAuditMeta(req) } as const;
    const detail = await recordingOutcome(deps.audit, event, async () => {
      const upload = await readAvatarUpload(req, deps.avatarMaxBytes);
      return replaceAvatarAsAdmin(deps, userId, upload);
    });
    req.log.info({ userId: detail.id }, "[API] admin replaced a user's avatar");
    send(res, detail);
  });

  router.delete('/users/:id/avatar', limitUploads, async (req, res) => {
    const userId = String(req.params.id);
    const event = { type: 'admin.avatar-removed', userId, actorId: adminIdOf(res), ...requestAuditMeta(req) } as const;
    const detail = await recordingOutcome(deps.audit, event, () => removeAvatarAsAdmin(deps, userId));
    req.log.info({ userId: detail.id }, "[API] admin removed a user's avatar");
    send(res, detail);
  });
  router.use('/users/:id/avatar', closeUnreadUpload);

  return router;
}
