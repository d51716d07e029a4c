import type { Router } from 'express';
import type { Config, WechatCredentials } from '../config/config.js';
import type { Logger } from '../logger.js';
import { WECHAT_PUBLIC_PATH, WECHAT_PUBLIC_ROUTES } from '@wechat-login/shared';
import { createWechatSimulator } from './index.js';

export const SIMULATOR_MOUNT_PATH = '/__wechat-simulator';

/** Fixed, obviously fake credentials: the simulator is for one developer's machine. */
export const SIMULATOR_CREDENTIALS: WechatCredentials = {
  appId: 'wxsimulator0000000',
  appSecret: 'simulator-secret',
  token: 'simulatortoken',
  encodingAESKey: 'SimulatorEncodingAESKey'.padEnd(43, '0'),
};

export interface DevSimulator {
  router: Router;
  credentials: WechatCredentials;
  /** Where the server calls the simulated REST API (loopback, same process). */
  apiBase: string;
  /** Where browsers load the simulated QR images. */
  showQrcodeBase: string;
  /** Where browsers open the simulated web authorization page (WECHAT_MP_OAUTH_BASE). */
  oauthAuthorizeBase: string;
}

/**
 * The WeChat simulator mounted into the dev server when no Official Account is
 * configured. Never in production and never beside real credentials: callers
 * check `shouldUseDevSimulator` first.
 */
export function shouldUseDevSimulator(config: Config): boolean {
  return !config.isProduction && config.wechat.credentials === undefined;
}

export function createDevSimulator(config: Config, logger: Logger): DevSimulator {
  if (!shouldUseDevSimulator(config)) throw new Error('the WeChat simulator cannot run in production or beside real WeChat credentials');
  const loopbackBase = `http://127.0.0.1:${config.port}`;
  const publicBase = `${config.auth.baseUrl}${SIMULATOR_MOUNT_PATH}`;
  const simulator = createWechatSimulator({
    ...SIMULATOR_CREDENTIALS,
    messageMode: 'safe',
    webhookUrl: `${loopbackBase}${WECHAT_PUBLIC_PATH}${WECHAT_PUBLIC_ROUTES.webhook}`,
    publicBaseUrl: publicBase,
    logger,
  });
  logger.warn(
    `[WeChat MP] DEVELOPMENT MODE: WECHAT_MP_APPID is unset, so WeChat is simulated. Open ${publicBase}/ to "scan" the QR codes shown on the sign-in page.`,
  );
  return {
    router: simulator.router,
    credentials: SIMULATOR_CREDENTIALS,
    apiBase: `${loopbackBase}${SIMULATOR_MOUNT_PATH}`,
    showQrcodeBase: `${publicBase}/cgi-bin/showqrcode`,
    oauthAuthorizeBase: publicBase,
  };
}
