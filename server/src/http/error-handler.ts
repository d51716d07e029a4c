import type { ErrorRequestHandler, RequestHandler } from 'express';
import { MongoNetworkError, MongoServerSelectionError, MongoNotConnectedError, MongoTopologyClosedError } from 'mongodb';
import { isAppError } from '../errors.js';
import { sendError } from './error-response.js';

/** Unknown `/api` paths answer in our error shape instead of Express's HTML page. */
export const apiNotFound: RequestHandler = (req, res) => {
  sendError(res, 404, 'NOT_FOUND', `No API route matches ${req.method} ${req.originalUrl.split('?')[0]}`);
};

function isDatabaseUnavailable(error: unknown): boolean {
  return (
    error instanceof MongoServerSelectionError ||
    error instanceof MongoNetworkError ||
    error instanceof MongoNotConnectedError ||
    error instanceof MongoTopologyClosedError
  );
}

/** An http-errors error (body-parser, Express's param decoding): `expose` marks it safe to describe. */
interface HttpError {
  type?: string;
  status: number;
  expose?: boolean;
}

function isHttpError(error: unknown): error is HttpError {
  return typeof error === 'object' && error !== null && typeof (error as { status?: unknown }).status === 'number';
}

/**
 * The last middleware: every error becomes `{success:false, error:{code,message}}`.
 * Unexpected errors are logged with their stack and answered with a generic
 * message: no stack or internal detail ever reaches a response.
 */
export const errorHandler: ErrorRequestHandler = (error, req, res, _next) => {
  if (res.headersSent) {
    req.log?.error({ err: error }, '[API] error after the response started');
    res.destroy();
    return;
  }
  if (isAppError(error)) {
    if (error.status >= 500) req.log?.error({ err: error }, `[API] ${error.code}: ${error.message}`);
    const retryAfterSeconds = typeof error.details?.retryAfterSeconds === 'number' ? error.details.retryAfterSeconds : undefined;
    sendError(res, error.status, error.code, error.message, { details: error.details, retryAfterSeconds });
    return;
  }
  if (isHttpError(error)) {
    if (error.type === 'entity.parse.failed') return sendError(res, 400, 'MALFORMED_JSON', 'The request body is not valid JSON.');
    if (error.type === 'entity.too.large') return sendError(res, 413, 'PAYLOAD_TOO_LARGE', 'The request body is too large.');
    if (error.type === 'encoding.unsupported' || error.type === 'charset.unsupported') {
      return sendError(res, 415, 'UNSUPPORTED_MEDIA_TYPE', 'The request body encoding is not supported.');
    }
    // A corrupt gzip body, an undecodable %-escape in the path, ...: the client's fault, never a 500.
    if (error.status >= 400 && error.status < 500) return sendError(res, error.status, 'INVALID_REQUEST', 'The request could not be read.');
  }
  if (isDatabaseUnavailable(error)) {
    req.log?.error({ err: error }, '[API] database unavailable');
    return sendError(res, 503, 'DATABASE_UNAVAILABLE', 'The database is not reachable right now. Try again in a few seconds.', { retryAfterSeconds: 5 });
  }
  req.log?.error({ err: error }, '[API] unexpected error');
  sendError(res, 500, 'INTERNAL_ERROR', 'Something went wrong on our side. The error has been logged.');
};
