import { Router } from 'express';
import type { SiteInfo, SuccessBody } from '@wechat-login/shared';

/** `GET /api/v1/pub/site`: public facts the sign-in page adapts to. */
export function siteRouter(info: SiteInfo): Router {
  const router = Router();
  router.get('/site', (_req, res) => {
    const body: SuccessBody<SiteInfo> = { success: true, data: info };
    res.setHeader('Cache-Control', 'public, max-age=60').json(body);
  });
  return router;
}
