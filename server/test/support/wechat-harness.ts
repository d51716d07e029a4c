import type { Runtime } from '../../src/runtime.js';
import type { Logger } from '../../src/logger.js';
import { startWechatSimulatorServer } from '../../src/simulator/server.js';
import type { MessageMode } from '../../src/simulator/options.js';
import type { PushResult } from '../../src/simulator/phone.js';
import { browser, type Browser } from './http.js';
import { listenForApp } from './app-port.js';
import { createTestRuntime, TEST_BASE_URL } from './test-runtime.js';

export const TEST_WECHAT = {
  appId: 'wxtest00000000000a',
  appSecret: 'test-app-secret',
  token: 'testtoken123',
  encodingAESKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
} as const;

type Simulator = Awaited<ReturnType<typeof startWechatSimulatorServer>>;

export interface WechatHarness {
  runtime: Runtime;
  /** The app listening on a real port, so the simulated phone can push to its webhook. */
  baseUrl: string;
  simulator: Simulator['simulator'];
  simulatorUrl: string;
  close(): Promise<void>;
}

/**
 * A server wired to the WeChat simulator exactly as to WeChat: through
 * WECHAT_MP_API_BASE and signed pushes to its public webhook.
 */
export async function startWechatHarness(
  options: { mode?: MessageMode; env?: Record<string, string>; dbName?: string; pushTimeoutMs?: number; logger?: Logger } = {},
): Promise<WechatHarness> {
  const mode = options.mode ?? 'safe';
  let appUrl = '';
  const sim = await startWechatSimulatorServer({
    ...TEST_WECHAT,
    encodingAESKey: TEST_WECHAT.encodingAESKey,
    messageMode: mode,
    webhookUrl: () => `${appUrl}/api/v1/pub/mp/webhook`,
    ...(options.pushTimeoutMs === undefined ? {} : { pushTimeoutMs: options.pushTimeoutMs }),
  });
  // Listen first: the confirmation links in the replies carry the public URL, which is this one.
  const port = await listenForApp();
  appUrl = port.url;
  const runtime = await createTestRuntime({
    dbName: options.dbName,
    ...(options.logger ? { logger: options.logger } : {}),
    env: {
      BETTER_AUTH_URL: appUrl,
      // The supertest browsers send the usual test origin.
      TRUSTED_ORIGINS: TEST_BASE_URL,
      WECHAT_MP_APPID: TEST_WECHAT.appId,
      WECHAT_MP_SECRET: TEST_WECHAT.appSecret,
      WECHAT_MP_TOKEN: TEST_WECHAT.token,
      ...(mode === 'plain' ? {} : { WECHAT_MP_ENCODING_AES_KEY: TEST_WECHAT.encodingAESKey }),
      WECHAT_MP_API_BASE: sim.url,
      WECHAT_MP_OAUTH_BASE: sim.url,
      ...options.env,
    },
  }).catch(async (error: unknown) => {
    await port.close();
    await sim.close();
    throw error;
  });
  port.serve(runtime.app);
  return {
    runtime,
    baseUrl: appUrl,
    simulator: sim.simulator,
    simulatorUrl: sim.url,
    close: async () => {
      await port.close();
      await runtime.close();
      await sim.close();
    },
  };
}

export interface IssuedQrcode {
  sceneId: string;
  qrcodeContent: string;
  qrcodeUrl: string;
  expiresIn: number;
}

/** A browser asks for a QR code; it keeps the binding cookie. */
export async function requestQrcode(client: Browser, purpose: 'login' | 'bind' = 'login'): Promise<IssuedQrcode> {
  const res = await client.get(`/api/v1/pub/mp/get-qrcode${purpose === 'bind' ? '?purpose=bind' : ''}`);
  if (res.status !== 200) throw new Error(`get-qrcode failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data as IssuedQrcode;
}

let userCounter = 0;
export function newWechatUser(overrides: { unionid?: string | null; subscribed?: boolean } = {}) {
  userCounter += 1;
  const suffix = `${Date.now().toString(36)}${userCounter}`.padStart(10, '0');
  return {
    openid: `oTest_${suffix}_${Math.random().toString(36).slice(2, 12)}`,
    unionid: overrides.unionid === undefined ? null : overrides.unionid,
    subscribed: overrides.subscribed ?? false,
  };
}

/**
 * The person with the phone scans the code and confirms in the page the reply
 * links to, as they would by default (phone confirmation is on).
 */
export async function scanAndConfirm(harness: WechatHarness, qrcode: IssuedQrcode, user: ReturnType<typeof newWechatUser>): Promise<PushResult> {
  const push = await harness.simulator.phone.scan({ ticketOrUrl: qrcode.qrcodeContent, user });
  const answer = await harness.simulator.phone.answerConfirmation(push.reply, 'confirm');
  if (answer.outcome !== 'confirmed') throw new Error(`the phone could not confirm: HTTP ${answer.status} ${answer.outcome}`);
  return push;
}

/** Full login: QR code, scan and confirm on the phone, sign in. Returns the signed-in browser. */
export async function signInByWechat(harness: WechatHarness, user: ReturnType<typeof newWechatUser>): Promise<{ client: Browser; body: { user: { id: string; email: string; name: string }; isNewUser: boolean } }> {
  const client = browser(harness.runtime.app);
  const qrcode = await requestQrcode(client);
  await scanAndConfirm(harness, qrcode, user);
  const res = await client.post('/api/auth/sign-in-wechat', { sceneId: qrcode.sceneId });
  if (res.status !== 200) throw new Error(`sign-in-wechat failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { client, body: res.body };
}

/** The fields of a SCAN push for `sceneId`, for tests that push by hand. */
export function scanFields(sceneId: string, openid: string): Record<string, string> {
  return {
    ToUserName: 'gh_simulator00',
    FromUserName: openid,
    CreateTime: String(Math.floor(Date.now() / 1000)),
    MsgType: 'event',
    Event: 'SCAN',
    EventKey: sceneId,
    Ticket: 'ticket',
  };
}
