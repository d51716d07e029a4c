import { existsSync } from 'node:fs';
import { Router, type NextFunction, type Request, type Response } from 'express';
import { sendError } from './error-response.js';
import { indexStaticFiles, lookUpStaticFile, sendStaticFile, type StaticFile } from './precompressed-static.js';

const ASSETS_PREFIX = '/assets/';
/** Vite puts a content hash in every name under /assets: a changed file is a new URL. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** HTML names the hashed files of the current build: browsers ask again every time (a 304 when unchanged). */
const REVALIDATE = 'no-cache';
/** Unhashed files (the widget script): an hour, so a release reaches embedding pages the same day. */
const ONE_HOUR = 'public, max-age=3600';

function cacheControlFor(urlPath: string): string {
  if (urlPath.startsWith(ASSETS_PREFIX)) return IMMUTABLE;
  return urlPath.endsWith('.html') ? REVALIDATE : ONE_HOUR;
}

/**
 * Serves the built admin UI from the same origin as the API, with history
 * fallback: any GET that is not an API path or a file gets index.html, so
 * deep links like /admin/users/42 work on reload. Files go out brotli- or
 * gzip-encoded from the variants the build wrote beside them
 * (scripts/precompress-assets.mjs), as the request's Accept-Encoding prefers.
 */
export function spaRouter(distDir: string): Router | undefined {
  if (!existsSync(distDir)) return undefined;
  const files = indexStaticFiles(distDir);
  const indexHtml = files.get('/index.html');
  if (!indexHtml) return undefined;
  const router = Router();

  router.use((req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const file = lookUpStaticFile(files, req.path);
    if (file) return send(req, res, next, file, cacheControlFor(req.path));
    // A missing hashed file is a stale page asking for an old build: index.html in its place would only be a script error.
    if (req.path.startsWith(ASSETS_PREFIX)) return sendError(res, 404, 'NOT_FOUND', 'No such file in this build of the dashboard.');
    next();
  });
  router.get(/^(?!\/api\/|\/healthz$).*/, (req, res, next) => {
    if (!req.accepts('html')) return next();
    send(req, res, next, indexHtml, REVALIDATE);
  });
  return router;
}

function send(req: Request, res: Response, next: NextFunction, file: StaticFile, cacheControl: string): void {
  sendStaticFile(req, res, file, cacheControl).catch((error: unknown) => {
    // Deleted since start-up (a rebuild under a running server): as if it had never been there.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && !res.headersSent) return sendError(res, 404, 'NOT_FOUND', 'No such file in this build of the dashboard.');
    next(error);
  });
}
