import { setTimeout as sleep } from 'node:timers/promises';
import type { z } from 'zod';
import { AppError } from '../../errors.js';
import { silentLogger, type Logger } from '../../logger.js';
import { WechatApiError, isTransientWechatFailure, wechatBadResponseError, wechatTimeoutError, wechatUnreachableError } from './errors.js';

/**
 * How every call reaches WeChat's REST API (wechat-protocol.md section 4): bounded in time, retried only
 * when a retry can help, failing with a typed error. The access token travels in the URL, so URLs are
 * never logged nor handed to anyone.
 */

export const DEFAULT_WECHAT_API_BASE = 'https://api.weixin.qq.com';
export const DEFAULT_WECHAT_TIMEOUT_MS = 5000;

export type FetchFunction = (url: URL, init: RequestInit) => Promise<Response>;

/** A call that finally failed (after any retries): the path and codes, never the URL (it carries the token). */
export interface WechatCallFailure {
  api: string;
  code: string;
  errcode: number | null;
}

export interface WechatTransportOptions {
  apiBase: string;
  fetch?: FetchFunction;
  timeoutMs?: number;
  maxRetries?: number;
  retryDelayMs?: number;
  logger?: Logger;
  /** Told of each call that finally failed, e.g. to keep it in the audit trail. Must not throw. */
  onCallFailed?: (failure: WechatCallFailure) => void;
}

export interface WechatTransport {
  apiBase: string;
  fetch: FetchFunction;
  timeoutMs: number;
  maxRetries: number;
  retryDelayMs: number;
  logger: Logger;
  onCallFailed: ((failure: WechatCallFailure) => void) | undefined;
}

export interface WechatRequest {
  /** The path, also the name used in errors and logs: it holds no secret. */
  api: string;
  method: 'GET' | 'POST';
  query?: Record<string, string>;
  body?: unknown;
}

export function createWechatTransport(options: WechatTransportOptions): WechatTransport {
  return {
    apiBase: options.apiBase,
    fetch: options.fetch ?? globalThis.fetch,
    timeoutMs: options.timeoutMs ?? DEFAULT_WECHAT_TIMEOUT_MS,
    maxRetries: options.maxRetries ?? 2,
    retryDelayMs: options.retryDelayMs ?? 200,
    logger: options.logger ?? silentLogger,
    onCallFailed: options.onCallFailed,
  };
}

function requestUrl(apiBase: string, { api, query = {} }: WechatRequest): URL {
  // Concatenate rather than resolve, so an apiBase with a path prefix (a simulator) keeps it.
  const url = new URL(`${apiBase.replace(/\/+$/, '')}${api}`);
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  return url;
}

/** Rejects after timeoutMs whatever the injected fetch does with the abort signal. */
async function fetchText(transport: WechatTransport, request: WechatRequest): Promise<{ status: number; text: string }> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      reject(wechatTimeoutError(transport.timeoutMs, request.api));
      controller.abort();
    }, transport.timeoutMs);
  });
  const exchange = (async () => {
    const response = await transport.fetch(requestUrl(transport.apiBase, request), {
      method: request.method,
      headers: request.body === undefined ? {} : { 'content-type': 'application/json' },
      body: request.body === undefined ? null : JSON.stringify(request.body),
      signal: controller.signal,
    });
    return { status: response.status, text: await response.text() };
  })();
  try {
    return await Promise.race([exchange, deadline]);
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw wechatUnreachableError(transport.apiBase, request.api, error);
  } finally {
    clearTimeout(timer);
  }
}

/** One exchange: the parsed JSON answer, or a typed error (WechatApiError for errcode ≠ 0). */
async function sendOnce(transport: WechatTransport, request: WechatRequest): Promise<unknown> {
  const { status, text } = await fetchText(transport, request);
  if (status < 200 || status >= 300) throw wechatBadResponseError(request.api, `HTTP ${status}`, status);
  let answer: unknown;
  try {
    answer = JSON.parse(text);
  } catch {
    throw wechatBadResponseError(request.api, 'the body is not JSON', status);
  }
  if (typeof answer === 'object' && answer !== null && 'errcode' in answer) {
    const { errcode, errmsg } = answer as { errcode: unknown; errmsg?: unknown };
    if (typeof errcode === 'number' && errcode !== 0) throw new WechatApiError(errcode, String(errmsg ?? ''));
  }
  return answer;
}

/** errmsg is logged whole: its `rid` is what WeChat support asks for. The URL never is (token). */
function logFailure(logger: Logger, api: string, error: unknown, attempt: number, willRetry: boolean): void {
  const { code, details } = error instanceof AppError ? error : { code: 'UNKNOWN', details: undefined };
  const fields = { api, code, errcode: details?.errcode, errmsg: details?.errmsg, attempt };
  logger.warn(fields, `[WeChat MP] ${api} failed${willRetry ? ', retrying' : ''}`);
}

function reportFailure(transport: WechatTransport, api: string, error: unknown): void {
  const { code, details } = error instanceof AppError ? error : { code: 'UNKNOWN', details: undefined };
  const errcode = typeof details?.errcode === 'number' ? details.errcode : null;
  transport.onCallFailed?.({ api, code, errcode });
}

/** Sends `request`, retrying WeChat-busy and network failures at most maxRetries times, with doubling pauses. */
export async function sendWechatRequest(transport: WechatTransport, request: WechatRequest): Promise<unknown> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await sendOnce(transport, request);
    } catch (error) {
      const willRetry = attempt < transport.maxRetries && isTransientWechatFailure(error);
      logFailure(transport.logger, request.api, error, attempt + 1, willRetry);
      if (!willRetry) {
        reportFailure(transport, request.api, error);
        throw error;
      }
      await sleep(transport.retryDelayMs * 2 ** attempt);
    }
  }
}

/** The answer in the shape `schema` wants, or 502 WECHAT_BAD_RESPONSE. */
export function parseWechatAnswer<T>(schema: z.ZodType<T>, answer: unknown, api: string): T {
  const parsed = schema.safeParse(answer);
  if (!parsed.success) throw wechatBadResponseError(api, 'unexpected fields');
  return parsed.data;
}
