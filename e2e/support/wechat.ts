import type { Browser, BrowserContext, Page } from 'playwright-core';
import { WECHAT_PUBLIC_PATH, WECHAT_PUBLIC_ROUTES, type Qrcode } from '@wechat-login/shared';

export const QRCODE_PATH = `${WECHAT_PUBLIC_PATH}${WECHAT_PUBLIC_ROUTES.getQrcode}`;
const SIMULATOR_SCAN_PATH = '/__wechat-simulator/phone/scan';

/**
 * Resolves with the next QR code the page fetches. Call it before the action that shows the code,
 * so the response cannot slip past.
 */
export async function nextQrcodeOn(page: Page): Promise<Qrcode> {
  const response = await page.waitForResponse((candidate) => new URL(candidate.url()).pathname === QRCODE_PATH);
  const body = (await response.json()) as { success: boolean; data: Qrcode };
  if (!body.success) throw new Error(`get-qrcode failed: ${JSON.stringify(body)}`);
  return body.data;
}

export interface SimulatedScan {
  /** The passive reply the account sent to the chat, with the confirmation link. */
  replyContent: string;
  /** The confirmation link in the reply, when there is one. */
  confirmationUrl: string | null;
}

/**
 * The simulator's phone scans the code, as a WeChat user with this openid: it pushes the signed event to
 * the server's webhook exactly as WeChat would (a `subscribe` the first time, `SCAN` afterwards). By default
 * the person then opens the reply's link and confirms; `answer: null` leaves that to the test.
 */
export async function scanWithSimulatedPhone(
  baseUrl: string,
  qrcode: Qrcode,
  openid: string,
  options: { answer?: 'confirm' | 'deny' | null } = {},
): Promise<SimulatedScan> {
  const answer = options.answer === undefined ? 'confirm' : options.answer;
  const response = await fetch(`${baseUrl}${SIMULATOR_SCAN_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ticket: qrcode.qrcodeContent, openid, ...(answer ? { answer } : {}) }),
  });
  if (!response.ok) throw new Error(`the simulator refused the scan: HTTP ${response.status} ${await response.text()}`);
  const body = (await response.json()) as { reply: { Content?: string } | null; answer?: { outcome: string | null } };
  if (answer && body.answer?.outcome !== (answer === 'confirm' ? 'confirmed' : 'denied')) {
    throw new Error(`the phone could not ${answer}: ${JSON.stringify(body.answer)}`);
  }
  const replyContent = body.reply?.Content ?? '';
  return { replyContent, confirmationUrl: /<a href="([^"]+)">/.exec(replyContent)?.[1] ?? null };
}

/** What WeChat's in-app browser on an Android phone says it is. */
export const WECHAT_IN_APP_UA =
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/130.0.6723.103 Mobile Safari/537.36 MicroMessenger/8.0.55.2780(0x28003737) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN';
/** Safari on an iPhone: a phone browser outside WeChat. */
export const MOBILE_SAFARI_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1';

const SIMULATOR_PATH = '/__wechat-simulator';

/**
 * A phone-sized browser with a User-Agent. With `wechatOpenid`, it is WeChat's in-app browser of that
 * WeChat user: the simulated WeChat knows who is signed in to the app (the cookie real WeChat does not need).
 */
export async function phoneContext(browser: Browser, baseUrl: string, options: { userAgent: string; wechatOpenid?: string }): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL: baseUrl, viewport: { width: 390, height: 780 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, userAgent: options.userAgent, locale: 'zh-CN' });
  if (options.wechatOpenid) {
    await context.addCookies([{ name: 'wxsim_openid', value: options.wechatOpenid, domain: new URL(baseUrl).hostname, path: SIMULATOR_PATH, httpOnly: true, sameSite: 'Lax' }]);
  }
  return context;
}
