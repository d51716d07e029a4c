import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, newVisitor, saveScreenshot, UI_TIMEOUT_MS } from './support/browser';
import { type RunningServer, startServer } from './support/server';
import { nextQrcodeOn, scanWithSimulatedPhone } from './support/wechat';

/** What WeChat's in-app browser on an Android phone says it is. */
const WECHAT_IN_APP_UA =
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/130.0.6723.103 Mobile Safari/537.36 MicroMessenger/8.0.55.2780(0x28003737) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN';

/**
 * The QR-jacking defence in Chromium: the desktop page waits while the phone opens the link from the chat
 * reply and answers. "Confirm" signs the desktop in; "This wasn't me" cancels its code.
 */
describe('confirming a WeChat sign-in on the phone', () => {
  let server: RunningServer;
  let browser: Browser;
  let phone: BrowserContext;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launchChromium()]);
    phone = await browser.newContext({ viewport: { width: 390, height: 780 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, userAgent: WECHAT_IN_APP_UA, locale: 'zh-CN' });
    phone.setDefaultTimeout(UI_TIMEOUT_MS);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** A desktop visitor shows a QR code and a phone scans it, without answering yet. */
  async function scannedOnDesktop(): Promise<{ desktop: Page; link: string }> {
    const { page: desktop } = await newVisitor(browser, server.baseUrl);
    const qrcode = nextQrcodeOn(desktop);
    await desktop.goto('/sign-in');
    const scan = await scanWithSimulatedPhone(server.baseUrl, await qrcode, `oE2E_${randomBytes(6).toString('hex')}`, { answer: null });
    await desktop.locator('[data-testid="wechat-confirming"]', { hasText: '请在手机微信中点开消息里的链接' }).waitFor();
    expect(scan.replyContent).toMatch(/浏览器：Chrome \d+ · Linux/);
    return { desktop, link: scan.confirmationUrl! };
  }

  async function openOnPhone(link: string): Promise<Page> {
    const page = await phone.newPage();
    await page.goto(link);
    return page;
  }

  it('signs the desktop in once the phone confirms', async () => {
    const { desktop, link } = await scannedOnDesktop();
    const page = await openOnPhone(link);
    await page.locator('h1', { hasText: '登录「WeChat Login」' }).waitFor();
    await page.locator('[data-testid="confirm-details"]', { hasText: 'Linux' }).waitFor();
    await saveScreenshot(page, 'phone-confirm');

    await page.locator('button', { hasText: '确认登录' }).click();
    await page.locator('[data-testid="confirm-outcome"][data-outcome="confirmed"]', { hasText: '已确认' }).waitFor();
    // A first WeChat sign-in lands on the profile-completion page.
    await desktop.waitForURL(/\/welcome/);
    await page.close();
  });

  it('cancels the desktop\'s code when the phone says "this wasn\'t me", and the link is spent', async () => {
    const { desktop, link } = await scannedOnDesktop();
    const page = await openOnPhone(link);
    await page.locator('button', { hasText: '不是我' }).click();
    await page.locator('[data-testid="confirm-outcome"][data-outcome="denied"]').waitFor();
    await desktop.locator('[data-testid="wechat-denied"]', { hasText: '已在手机上取消' }).waitFor();
    expect(desktop.url()).toMatch(/\/sign-in$/);

    await page.goto(link);
    await page.locator('[data-testid="confirm-outcome"][data-outcome="decided"]').waitFor();
    await desktop.locator('[data-testid="wechat-denied"] button', { hasText: '刷新二维码' }).click();
    await desktop.locator('.wl[data-status="waiting"]').waitFor();
  });
});
