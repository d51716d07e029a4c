import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, newVisitor, saveScreenshot, UI_TIMEOUT_MS } from './support/browser';
import { type RunningServer, startServer } from './support/server';
import { nextQrcodeOn, phoneContext, scanWithSimulatedPhone, WECHAT_IN_APP_UA } from './support/wechat';

/**
 * The QR-jacking defence in Chromium: the desktop page waits while the phone opens the link from the chat
 * reply and answers. "Confirm" signs the desktop in; "This wasn't me" cancels its code. The link passes
 * through WeChat's silent web authorization first: only the WeChat user who scanned may answer.
 */
describe('confirming a WeChat sign-in on the phone', () => {
  let server: RunningServer;
  let browser: Browser;
  const phones: BrowserContext[] = [];

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launchChromium()]);
  });

  afterAll(async () => {
    await Promise.all(phones.map((phone) => phone.close()));
    await browser?.close();
    await server?.stop();
  });

  /** A desktop visitor shows a QR code and a phone scans it, without answering yet. */
  async function scannedOnDesktop(): Promise<{ desktop: Page; link: string; openid: string }> {
    const { page: desktop } = await newVisitor(browser, server.baseUrl);
    const qrcode = nextQrcodeOn(desktop);
    await desktop.goto('/sign-in');
    const openid = `oE2E_${randomBytes(6).toString('hex')}`;
    const scan = await scanWithSimulatedPhone(server.baseUrl, await qrcode, openid, { answer: null });
    await desktop.locator('[data-testid="wechat-confirming"]', { hasText: '请在手机微信中点开消息里的链接' }).waitFor();
    expect(scan.replyContent).toMatch(/浏览器：Chrome \d+ · Linux/);
    return { desktop, link: scan.confirmationUrl!, openid };
  }

  /** Opens the link in the WeChat of `openid` (the scanner's, unless the link was forwarded). */
  async function openOnPhone(link: string, openid: string): Promise<Page> {
    const phone = await phoneContext(browser, server.baseUrl, { userAgent: WECHAT_IN_APP_UA, wechatOpenid: openid });
    phone.setDefaultTimeout(UI_TIMEOUT_MS);
    phones.push(phone);
    const page = await phone.newPage();
    await page.goto(link);
    return page;
  }

  it('signs the desktop in once the phone confirms', async () => {
    const { desktop, link, openid } = await scannedOnDesktop();
    const page = await openOnPhone(link, openid);
    await page.locator('h1', { hasText: '登录「WeChat Login」' }).waitFor();
    // Back from the silent authorization on the page's own address, without WeChat's code and state.
    expect(page.url()).not.toMatch(/[?&](code|state)=/);
    await page.locator('[data-testid="confirm-details"]', { hasText: 'Linux' }).waitFor();
    await saveScreenshot(page, 'phone-confirm');

    await page.locator('button', { hasText: '确认登录' }).click();
    await page.locator('[data-testid="confirm-outcome"][data-outcome="confirmed"]', { hasText: '已确认' }).waitFor();
    // A first WeChat sign-in lands on the profile-completion page.
    await desktop.waitForURL(/\/welcome/);
    await page.close();
  });

  it('cancels the desktop\'s code when the phone says "this wasn\'t me", and the link is spent', async () => {
    const { desktop, link, openid } = await scannedOnDesktop();
    const page = await openOnPhone(link, openid);
    await page.locator('button', { hasText: '不是我' }).click();
    await page.locator('[data-testid="confirm-outcome"][data-outcome="denied"]').waitFor();
    await desktop.locator('[data-testid="wechat-denied"]', { hasText: '已在手机上取消' }).waitFor();
    expect(desktop.url()).toMatch(/\/sign-in$/);

    await page.goto(link);
    await page.locator('[data-testid="confirm-outcome"][data-outcome="decided"]').waitFor();
    await desktop.locator('[data-testid="wechat-denied"] button', { hasText: '刷新二维码' }).click();
    await desktop.locator('.wl[data-status="waiting"]').waitFor();
  });

  it('refuses a forwarded link in another WeChat user\'s phone, and the scanner can still confirm', async () => {
    const { desktop, link, openid } = await scannedOnDesktop();
    const stranger = await openOnPhone(link, `oE2E_other_${randomBytes(4).toString('hex')}`);
    await stranger.locator('[data-testid="confirm-outcome"][data-outcome="not-yours"]', { hasText: '这不是你的链接' }).waitFor();
    expect(await stranger.locator('button', { hasText: '确认登录' }).count()).toBe(0);
    await saveScreenshot(stranger, 'phone-not-yours');
    // The desktop still waits for its owner's answer.
    await desktop.locator('[data-testid="wechat-confirming"]').waitFor();

    const owner = await openOnPhone(link, openid);
    await owner.locator('button', { hasText: '确认登录' }).click();
    await owner.locator('[data-testid="confirm-outcome"][data-outcome="confirmed"]').waitFor();
    await desktop.waitForURL(/\/welcome/);
  });
});
