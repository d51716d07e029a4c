import type { Page } from 'playwright-core';
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
