import { z } from 'zod';
import { AppError } from '../../errors.js';
import { WechatApiError } from './errors.js';
import type { AccessTokenGrant } from './token-provider.js';
import { createWechatTransport, parseWechatAnswer, sendWechatRequest, type WechatTransportOptions } from './transport.js';

/** Answers that mean "no stable_token here" (an old proxy, a simulator): fall back to /cgi-bin/token. */
const STABLE_TOKEN_MISSING_HTTP_STATUSES = new Set([404, 405, 501]);
const STABLE_TOKEN_MISSING_ERRCODES = new Set([40066 /* invalid url */]);

const accessTokenAnswer = z.object({ access_token: z.string().min(1), expires_in: z.number().int().positive() });

function isStableTokenMissing(error: unknown): boolean {
  if (error instanceof WechatApiError) return STABLE_TOKEN_MISSING_ERRCODES.has(error.errcode);
  const httpStatus = error instanceof AppError ? error.details?.httpStatus : undefined;
  return typeof httpStatus === 'number' && STABLE_TOKEN_MISSING_HTTP_STATUSES.has(httpStatus);
}

export interface FetchAccessTokenOptions extends WechatTransportOptions {
  appId: string;
  appSecret: string;
}

/**
 * A token from /cgi-bin/stable_token (force_refresh false: instances do not invalidate each other),
 * or from /cgi-bin/token where stable_token does not exist. For the token store, not for callers.
 */
export async function fetchAccessToken(options: FetchAccessTokenOptions): Promise<AccessTokenGrant> {
  const transport = createWechatTransport(options);
  const credentials = { grant_type: 'client_credential', appid: options.appId, secret: options.appSecret };
  let answer: unknown;
  try {
    answer = await sendWechatRequest(transport, { api: '/cgi-bin/stable_token', method: 'POST', body: { ...credentials, force_refresh: false } });
  } catch (error) {
    if (!isStableTokenMissing(error)) throw error;
    transport.logger.warn('[WeChat MP] /cgi-bin/stable_token is not available, falling back to /cgi-bin/token');
    answer = await sendWechatRequest(transport, { api: '/cgi-bin/token', method: 'GET', query: credentials });
  }
  const grant = parseWechatAnswer(accessTokenAnswer, answer, '/cgi-bin/token');
  return { accessToken: grant.access_token, expiresInSeconds: grant.expires_in };
}
