import { Router, type Response } from 'express';
import { AdminUsersExportQuerySchema } from '@wechat-login/shared';
import type { AuditRecorder } from '../audit/types.js';
import { errorCodeOf } from '../audit/record-outcome.js';
import { requestAuditMeta } from '../audit/request-meta.js';
import { adminIdOf } from '../http/require-admin.js';
import { parseQuery } from '../http/parse-input.js';
import type { RateLimiter } from '../rate-limit/middleware.js';
import type { RateLimitRule } from '../rate-limit/rules.js';
import { describeExportFilter, exportFileName, writeUsersCsv, type CsvSink } from '../admin/users-export.js';
import type { AdminUsersDeps } from '../admin/users-service.js';

export interface AdminUsersExportDeps extends AdminUsersDeps {
  audit: AuditRecorder;
  rateLimiter: RateLimiter;
}

/** Each export reads every matching user: a few a minute is all an admin needs, and all a stolen session may take. */
export const USERS_EXPORT_RULE: RateLimitRule = { name: 'admin-users-export', max: 10, windowMs: 60_000 };

/** The client closed the connection before the last row. */
const CONNECTION_CLOSED = 'CONNECTION_CLOSED';

/** Writes with backpressure: waits for `drain` when the socket is full, and gives up once the response is closed. */
function sinkOf(res: Response): CsvSink {
  return (text) =>
    new Promise<void>((resolve, reject) => {
      if (res.destroyed) return reject(Object.assign(new Error('the client closed the connection'), { code: CONNECTION_CLOSED }));
      if (res.write(text)) return resolve();
      const done = (error?: Error) => {
        res.off('drain', onDrain);
        res.off('close', onClose);
        if (error) reject(error);
        else resolve();
      };
      const onDrain = () => done();
      const onClose = () => done(Object.assign(new Error('the client closed the connection'), { code: CONNECTION_CLOSED }));
      res.on('drain', onDrain);
      res.on('close', onClose);
    });
}

/**
 * `GET /users/export.csv` below `/api/v1/admin`, mounted by adminUsersRouter behind its admin check
 * (before `/users/:id`, which would take `export.csv` for an id). The list's filters and order, every
 * row, streamed; WeChat ids only with `includeWechatIds=true`. Audited once it ends, with the row count.
 */
export function adminUsersExportRouter(deps: AdminUsersExportDeps): Router {
  const router = Router();
  router.get('/users/export.csv', deps.rateLimiter.limit(USERS_EXPORT_RULE), async (req, res) => {
    const query = parseQuery(AdminUsersExportQuerySchema, req);
    const details = { filter: describeExportFilter(query), includeWechatIds: query.includeWechatIds };
    const event = { type: 'admin.users-exported', actorId: adminIdOf(res), ...requestAuditMeta(req) } as const;
    res.status(200);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename=${exportFileName(new Date())}`);
    // Personal data: never kept by a browser or proxy cache.
    res.setHeader('Cache-Control', 'no-store');
    const progress = { rows: 0 };
    try {
      await writeUsersCsv(deps, query, sinkOf(res), progress);
    } catch (error) {
      const code = errorCodeOf(error);
      deps.audit.record({ ...event, outcome: 'failure', details: { ...details, rows: progress.rows, code } });
      if (code === CONNECTION_CLOSED) return;
      // Nothing sent yet: the error handler answers in JSON, which must not be saved as the file.
      if (!res.headersSent) for (const header of ['Content-Type', 'Content-Disposition']) res.removeHeader(header);
      throw error;
    }
    res.end();
    deps.audit.record({ ...event, outcome: 'success', details: { ...details, rows: progress.rows } });
    req.log.info({ rows: progress.rows, includeWechatIds: query.includeWechatIds }, '[API] admin exported users');
  });
  return router;
}
