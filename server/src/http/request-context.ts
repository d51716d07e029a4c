import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pinoHttp } from 'pino-http';
import type { Logger } from '../logger.js';
import { redactUrl } from './redact-url.js';

const INCOMING_REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

/**
 * Keeps a well-formed X-Request-Id from a proxy so one id follows a request across hops. Only
 * behind a trusted proxy (TRUST_PROXY set), which writes the header itself: otherwise the client
 * would choose the id its log lines carry, and could give its requests the id of someone else's.
 */
export function requestIdFrom(req: IncomingMessage, fromTrustedProxy: boolean): string {
  const incoming = req.headers['x-request-id'];
  return fromTrustedProxy && typeof incoming === 'string' && INCOMING_REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/** pino-http with a request id on every line, echoed back as X-Request-Id. */
export function requestLogging(logger: Logger, options: { behindTrustedProxy: boolean }) {
  return pinoHttp({
    logger,
    genReqId: (req: IncomingMessage, res: ServerResponse) => {
      const id = requestIdFrom(req, options.behindTrustedProxy);
      res.setHeader('X-Request-Id', id);
      return id;
    },
    customLogLevel: (_req, res, error) => {
      if (error || res.statusCode >= 500) return 'error';
      if (res.statusCode >= 400) return 'warn';
      return 'info';
    },
    customSuccessMessage: (req, res, ms) => `[API] ${req.method} ${pathOf(req)} ${res.statusCode} ${Math.round(ms)}ms`,
    customErrorMessage: (req, res) => `[API] ${req.method} ${pathOf(req)} ${res.statusCode}`,
    // Health probes every few seconds would drown the useful lines.
    autoLogging: { ignore: (req) => req.url === '/healthz' },
    serializers: {
      // Every line logged through `req.log` (the error handler's too) carries this: the query is
      // redacted (signed WeChat queries, confirmation tokens), never written as the client sent it.
      req: (req: { id: unknown; method: string; url: string; remoteAddress?: string }) => ({ id: req.id, method: req.method, url: redactUrl(req.url ?? ''), remoteAddress: req.remoteAddress }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  });
}

/** The full path as the client sent it (Express strips mount points from `url`), without the query. */
function pathOf(req: IncomingMessage): string {
  const url = (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url ?? '';
  return url.split('?')[0] ?? '';
}
