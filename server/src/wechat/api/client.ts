import { z } from 'zod';
import { fetchAccessToken, type FetchAccessTokenOptions } from './access-token.js';
import { isAccessTokenRejected } from './errors.js';
import type { AccessTokenGrant, AccessTokenProvider } from './token-provider.js';
import { createWechatTransport, parseWechatAnswer, sendWechatRequest, type WechatRequest } from './transport.js';

/**
 * The WeChat REST calls QR login makes. Each one checks its input, sends with the access token from
 * the injected provider and reads the answer into our own shape; a new call is one more method here.
 */

export const DEFAULT_SHOW_QRCODE_BASE = 'https://mp.weixin.qq.com/cgi-bin/showqrcode';
/** WeChat's limits for temporary parametric QR codes. */
export const MAX_QRCODE_EXPIRE_SECONDS = 2_592_000;
export const MAX_SCENE_STR_LENGTH = 64;

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
  const transport = createWechatTransport(options);
  const { tokenProvider, showQrcodeBase = DEFAULT_SHOW_QRCODE_BASE } = options;

  /** Sends with a token; on 40001/40014/42001 drops that token and tries exactly once more. */
  async function sendWithToken(request: (accessToken: string) => WechatRequest): Promise<unknown> {
    const token = await tokenProvider.getAccessToken();
    try {
      return await sendWechatRequest(transport, request(token));
    } catch (error) {
      if (!isAccessTokenRejected(error)) throw error;
      transport.logger.warn({ errcode: error.errcode }, '[WeChat MP] access token rejected, retrying once with a fresh token');
      await tokenProvider.invalidate(token);
      return await sendWechatRequest(transport, request(await tokenProvider.getAccessToken()));
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
      const answer = parseWechatAnswer(qrcodeAnswer, await sendWithToken((token) => ({ api, method: 'POST', query: { access_token: token }, body })), api);
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
      const answer = parseWechatAnswer(userInfoAnswer, await sendWithToken((token) => ({ api, method: 'GET', query: query(token) })), api);
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
