import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { Router } from 'express';

/**
 * Serves the built admin UI from the same origin as the API, with history
 * fallback: any GET that is not an API path or a file gets index.html, so
 * deep links like /admin/users/42 work on reload.
 */
export function spaRouter(distDir: string): Router | undefined {
  const indexHtml = join(distDir, 'index.html');
  if (!existsSync(indexHtml)) return undefined;
  const router = Router();
  // Hashed assets never change; index.html must always be revalidated.
  router.use('/assets', express.static(join(distDir, 'assets'), { immutable: true, maxAge: '1y', fallthrough: false }));
  router.use(express.static(distDir, { index: false, maxAge: '1h' }));
  router.get(/^(?!\/api\/|\/healthz$).*/, (req, res, next) => {
    if (!req.accepts('html')) return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(indexHtml);
  });
  return router;
}
