import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { AppError } from '../errors.js';
import { silentLogger, type Logger } from '../logger.js';
import type { AuditRecorder } from '../audit/types.js';
import {
  WechatApiError,
  isAccessTokenRejected,
  isTransientWechatFailure,
  wechatBadResponseError,
  wechatTimeoutError,
  wechatUnreachableError,
} from './api-errors.js';
import type { AccessTokenGrant, AccessTokenProvider } from './token-provider.js';

/**
 * WeChat's REST API (wechat-protocol.md section 4). Every call is bounded in time, retried only when a
 * retry can help, and fails with a typed error. The access token comes from an injected provider and
 * is never logged: it travels in the URL, so URLs are never logged either.
 */

export const DEFAULT_WECHAT_API_BASE = 'https://api.weixin.qq.com';
export const DEFAULT_SHOW_QRCODE_BASE = 'https://mp.weixin.qq.com/cgi-bin/showqrcode';
export const DEFAULT_WECHAT_TIMEOUT_MS = 5000;
/** WeChat's limits for temporary parametric QR codes. */
export const MAX_QRCODE_EXPIRE_SECONDS = 2_592_000;
export const MAX_SCENE_STR_LENGTH = 64;
/** Answers that mean "no stable_token here" (an old proxy, a simulator): fall back to /cgi-bin/token. */
const STABLE_TOKEN_MISSING_HTTP_STATUSES = new Set([404, 405, 501]);
const STABLE_TOKEN_MISSING_ERRCODES = new Set([40066 /* invalid url */]);

export type FetchFunction = (url: URL, init: RequestInit) => Promise<Response>;

interface Transport {
  apiBase: string;
  fetch: FetchFunction;
  timeoutMs: number;
  maxRetries: number;
  retryDelayMs: number;
  logger: Logger;
  audit: AuditRecorder | undefined;
}

interface WechatRequest {
  /** The path, also the name used in errors and logs: it holds no secret. */
  api: string;
  method: 'GET' | 'POST';
  query?: Record<string, string>;
  body?: unknown;
}

function requestUrl(apiBase: string, { api, query = {} }: WechatRequest): URL {
  // Concatenate rather than resolve, so an apiBase with a path prefix (a simulator) keeps it.
  const url = new URL(`${apiBase.replace(/\/+$/, '')}${api}`);
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  return url;
}

/** Rejects after timeoutMs whatever the injected fetch does with the abort signal. */
async function fetchText(transport: Transport, request: WechatRequest): Promise<{ status: number; text: string }> {
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
async function sendOnce(transport: Transport, request: WechatRequest): Promise<unknown> {
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

/** The audit trail gets each call that finally failed: the path and codes, never the URL (it carries the token). */
function recordFailure(transport: Transport, api: string, error: unknown): void {
  const { code, details } = error instanceof AppError ? error : { code: 'UNKNOWN', details: undefined };
  const errcode = typeof details?.errcode === 'number' ? details.errcode : null;
  transport.audit?.record({ type: 'wechat-api.error', outcome: 'failure', details: { api, code, errcode } });
}

/** Retries WeChat-busy and network failures, at most maxRetries times, with doubling pauses. */
async function send(transport: Transport, request: WechatRequest): Promise<unknown> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await sendOnce(transport, request);
    } catch (error) {
      const willRetry = attempt < transport.maxRetries && isTransientWechatFailure(error);
      logFailure(transport.logger, request.api, error, attempt + 1, willRetry);
      if (!willRetry) {
        recordFailure(transport, request.api, error);
        throw error;
      }
      await sleep(transport.retryDelayMs * 2 ** attempt);
    }
  }
}

function parseAnswer<T>(schema: z.ZodType<T>, answer: unknown, api: string): T {
  const parsed = schema.safeParse(answer);
  if (!parsed.success) throw wechatBadResponseError(api, 'unexpected fields');
  return parsed.data;
}

const accessTokenAnswer = z.object({ access_token: z.string().min(1), expires_in: z.number().int().positive() });

function isStableTokenMissing(error: unknown): boolean {
  if (error instanceof WechatApiError) return STABLE_TOKEN_MISSING_ERRCODES.has(error.errcode);
  const httpStatus = error instanceof AppError ? error.details?.httpStatus : undefined;
  return typeof httpStatus === 'number' && STABLE_TOKEN_MISSING_HTTP_STATUSES.has(httpStatus);
}

export interface FetchAccessTokenOptions {
  apiBase: string;
  appId: string;
  appSecret: string;
  fetch?: FetchFunction;
  timeoutMs?: number;
  maxRetries?: number;
  retryDelayMs?: number;
  logger?: Logger;
  /** Where failed calls are recorded for the Activity page. */
  audit?: AuditRecorder;
}

/**
 * A token from /cgi-bin/stable_token (force_refresh false: instances do not invalidate each other),
 * or from /cgi-bin/token where stable_token does not exist. For the token store, not for callers.
 */
export async function fetchAccessToken(options: FetchAccessTokenOptions): Promise<AccessTokenGrant> {
  const transport = toTransport(options);
  const credentials = { grant_type: 'client_credential', appid: options.appId, secret: options.appSecret };
  let answer: unknown;
  try {
    answer = await send(transport, { api: '/cgi-bin/stable_token', method: 'POST', body: { ...credentials, force_refresh: false } });
  } catch (error) {
    if (!isStableTokenMissing(error)) throw error;
    transport.logger.warn('[WeChat MP] /cgi-bin/stable_token is not available, falling back to /cgi-bin/token');
    answer = await send(transport, { api: '/cgi-bin/token', method: 'GET', query: credentials });
  }
  const grant = parseAnswer(accessTokenAnswer, answer, '/cgi-bin/token');
  return { accessToken: grant.access_token, expiresInSeconds: grant.expires_in };
}

function toTransport(options: FetchAccessTokenOptions): Transport {
  return {
    apiBase: options.apiBase,
    fetch: options.fetch ?? globalThis.fetch,
    timeoutMs: options.timeoutMs ?? DEFAULT_WECHAT_TIMEOUT_MS,
    maxRetries: options.maxRetries ?? 2,
    retryDelayMs: options.retryDelayMs ?? 200,
    logger: options.logger ?? silentLogger,
    audit: options.audit,
  };
}

export interface TemporaryQrcode {
  ticket: string;
  expireSeconds: number;
  /** What the QR code encodes (weixin.qq.com/q/...): render it ourselves, or show qrcodeUrl. */
  url: string;
  /** The image at showqrcode, no token needed. */
  qrcodeUrl: string;
}

export interface WechatUserInfo {
  openid: string;
  /** Only when the account is bound to the WeChat Open Platform. */
  unionid: string | null;
  subscribed: boolean;
  subscribeTimeSeconds: number | null;
  subscribeScene: string | null;
  qrSceneStr: string | null;
}

export interface WechatApiClient {
  createTemporaryQrcode(input: { sceneStr: string; expireSeconds: number }): Promise<TemporaryQrcode>;
  getUserInfo(openid: string): Promise<WechatUserInfo>;
  /** fetchAccessToken with this client's settings, for wiring the token store. */
  fetchAccessToken(): Promise<AccessTokenGrant>;
}

export interface WechatApiClientOptions extends FetchAccessTokenOptions {
  tokenProvider: AccessTokenProvider;
  showQrcodeBase?: string;
}

const qrcodeAnswer = z.object({ ticket: z.string().min(1), expire_seconds: z.number().int().nonnegative(), url: z.string() });
const userInfoAnswer = z.object({
  openid: z.string().min(1),
  subscribe: z.number().int(),
  unionid: z.string().min(1).optional(),
  subscribe_time: z.number().int().optional(),
  subscribe_scene: z.string().optional(),
  qr_scene_str: z.string().optional(),
});

export function createWechatApiClient(options: WechatApiClientOptions): WechatApiClient {
  const transport = toTransport(options);
  const { tokenProvider, showQrcodeBase = DEFAULT_SHOW_QRCODE_BASE } = options;

  /** Sends with a token; on 40001/40014/42001 drops that token and tries exactly once more. */
  async function sendWithToken(request: (accessToken: string) => WechatRequest): Promise<unknown> {
    const token = await tokenProvider.getAccessToken();
    try {
      return await send(transport, request(token));
    } catch (error) {
      if (!isAccessTokenRejected(error)) throw error;
      transport.logger.warn({ errcode: error.errcode }, '[WeChat MP] access token rejected, retrying once with a fresh token');
      await tokenProvider.invalidate(token);
      return await send(transport, request(await tokenProvider.getAccessToken()));
    }
  }

  return {
    async createTemporaryQrcode({ sceneStr, expireSeconds }) {
      if (sceneStr.length < 1 || sceneStr.length > MAX_SCENE_STR_LENGTH) throw new RangeError('sceneStr must be 1..64 characters');
      if (!Number.isSafeInteger(expireSeconds) || expireSeconds < 1 || expireSeconds > MAX_QRCODE_EXPIRE_SECONDS) {
        throw new RangeError(`expireSeconds must be an integer in 1..${MAX_QRCODE_EXPIRE_SECONDS}`);
      }
      const api = '/cgi-bin/qrcode/create';
      const body = { expire_seconds: expireSeconds, action_name: 'QR_STR_SCENE', action_info: { scene: { scene_str: sceneStr } } };
      const answer = parseAnswer(qrcodeAnswer, await sendWithToken((token) => ({ api, method: 'POST', query: { access_token: token }, body })), api);
      const separator = showQrcodeBase.includes('?') ? '&' : '?';
      return {
        ticket: answer.ticket,
        expireSeconds: answer.expire_seconds,
        url: answer.url,
        qrcodeUrl: `${showQrcodeBase}${separator}ticket=${encodeURIComponent(answer.ticket)}`,
      };
    },

    async getUserInfo(openid) {
      if (openid.length < 1 || openid.length > 128) throw new RangeError('openid must be 1..128 characters');
      const api = '/cgi-bin/user/info';
      const query = (token: string) => ({ access_token: token, openid, lang: 'zh_CN' });
      const answer = parseAnswer(userInfoAnswer, await sendWithToken((token) => ({ api, method: 'GET', query: query(token) })), api);
      return {
        openid: answer.openid,
        unionid: answer.unionid ?? null,
        subscribed: answer.subscribe === 1,
        subscribeTimeSeconds: answer.subscribe_time ?? null,
        subscribeScene: answer.subscribe_scene ?? null,
        qrSceneStr: answer.qr_scene_str ?? null,
      };
    },

    fetchAccessToken: () => fetchAccessToken(options),
  };
}
