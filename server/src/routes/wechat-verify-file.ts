import { Router } from 'express';

/**
 * `GET /MP_verify_<code>.txt`: the file WeChat fetches from the domain root before it accepts the
 * domain for web authorization (网页授权域名), set by WECHAT_MP_VERIFY_FILE. Exactly one name answers;
 * every other path goes on to the next handler.
 */
export function wechatVerifyFileRouter(file: { name: string; content: string }): Router {
  const router = Router();
  router.get(`/${file.name}`, (_req, res) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.type('text/plain').send(file.content);
  });
  return router;
}
