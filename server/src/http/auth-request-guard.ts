import type { ApiErrorCode } from '@wechat-login/shared';
import type { RequestHandler } from 'express';

/** better-auth's bodies are small JSON objects; nothing legitimate comes close. */
export const AUTH_BODY_LIMIT_BYTES = 100 * 1024;
const HOST_PATTERN = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

function refuse(res: Parameters<RequestHandler>[1], status: number, code: ApiErrorCode, message: string): void {
  res.status(status).json({ code, message });
}

/**
 * better-auth's Node adapter builds a URL from the client's X-Forwarded-Proto
 * and Host and reads bodies without a size limit: a malformed header became
 * a 500 and a huge body was read in full. Hand it what Express vetted
 * (honouring TRUST_PROXY), and refuse oversized or unmeasured bodies up front.
 */
export const guardAuthRequest: RequestHandler = (req, res, next) => {
  req.headers['x-forwarded-proto'] = req.protocol;
  delete req.headers[':authority'];
  const host = req.headers.host;
  if (!host || !HOST_PATTERN.test(host)) return refuse(res, 400, 'INVALID_REQUEST', 'The Host header is missing or malformed.');
  if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return next();
  const length = req.headers['content-length'];
  if (length === undefined) {
    if (req.headers['transfer-encoding']) return refuse(res, 411, 'LENGTH_REQUIRED', 'Send a Content-Length with the request body.');
    return next();
  }
  if (!/^\d+$/.test(length)) return refuse(res, 400, 'INVALID_REQUEST', 'The Content-Length header is malformed.');
  if (Number(length) > AUTH_BODY_LIMIT_BYTES) return refuse(res, 413, 'PAYLOAD_TOO_LARGE', 'The request body is too large.');
  next();
};
