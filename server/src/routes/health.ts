import { Router } from 'express';
import type { Db } from 'mongodb';
import type { Health } from '@wechat-login/shared';
import { pingDatabase } from '../db/connection.js';

/** `GET /healthz`: 200 when the database answers a ping, 503 otherwise (for load balancers). */
export function healthRouter(db: Db): Router {
  const router = Router();
  router.get('/healthz', async (_req, res) => {
    const up = await pingDatabase(db);
    const body: Health = up ? { status: 'ok', db: 'up' } : { status: 'degraded', db: 'down' };
    res.status(up ? 200 : 503).setHeader('Cache-Control', 'no-store').json(body);
  });
  return router;
}
