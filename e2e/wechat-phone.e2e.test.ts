import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, saveScreenshot, UI_TIMEOUT_MS } from './support/browser';
import { type RunningServer, startServer } from './support/server';
import { MOBILE_SAFARI_UA, phoneContext, WECHAT_IN_APP_UA } from './support/wechat';

/**
 * The sign-in page on a phone, in Chromium: inside WeChat one tap signs in through the (simulated)
 * web authorization; other phone browsers get a QR picture to save and a link to copy.
 */
describe('signing in on a phone', () => {
  let server: RunningServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launchChromium()]);
  });

  afterAll(async () => {
    await Promise.all(contexts.map((context) => context.close()));
    await browser?.close();
    await server?.stop();
  });

  async function phone(options: { userAgent: string; wechatOpenid?: string }) {
    const context = await phoneContext(browser, server.baseUrl, options);
    context.setDefaultTimeout(UI_TIMEOUT_MS);
    contexts.push(context);
    return context.newPage();
  }

  it('signs a new person in with one tap inside WeChat, and welcomes them with their WeChat nickname and avatar', async () => {
    const page = await phone({ userAgent: WECHAT_IN_APP_UA, wechatOpenid: `oE2E_tap_${randomBytes(5).toString('hex')}` });
    await page.goto('/sign-in');
    const tap = page.locator('[data-testid="wechat-one-tap"]');
    await tap.waitFor();
    expect(await page.locator('.wl-qrcode img, canvas, [data-testid="wechat-save-guide"]').count()).toBe(0);
    await saveScreenshot(page, 'phone-sign-in-wechat');

    await tap.click();
    // WeChat's consent screen, the first time (WECHAT_MP_OAUTH_SCOPE=auto asks a new person once).
    const allow = page.locator('button', { hasText: '允许' });
    await allow.waitFor();
    await saveScreenshot(page, 'phone-wechat-consent');
    await allow.click();

    await page.waitForURL(/\/welcome/);
    const name = page.locator('#welcome-name');
    await name.waitFor();
    expect(await name.inputValue()).not.toMatch(/^WeChat user /);
    await page.locator('[data-testid="welcome"] img[src*="/api/v1/pub/avatars/"]').first().waitFor();
    await saveScreenshot(page, 'phone-welcome');
  });

  it('signs a returning person in silently with the same tap', async () => {
    const openid = `oE2E_back_${randomBytes(5).toString('hex')}`;
    const first = await phone({ userAgent: WECHAT_IN_APP_UA, wechatOpenid: openid });
    await first.goto('/sign-in');
    await first.locator('[data-testid="wechat-one-tap"]').click();
    await first.locator('button', { hasText: '允许' }).click();
    await first.waitForURL(/\/welcome/);
    await first.locator('[data-testid="welcome-skip"]').click();
    await first.waitForURL(/\/account/);

    const again = await phone({ userAgent: WECHAT_IN_APP_UA, wechatOpenid: openid });
    await again.goto('/sign-in');
    await again.locator('[data-testid="wechat-one-tap"]').click();
    await again.waitForURL(/\/account/);
  });

  it('shows the refusal in our words when the person taps 拒绝', async () => {
    const page = await phone({ userAgent: WECHAT_IN_APP_UA, wechatOpenid: `oE2E_no_${randomBytes(5).toString('hex')}` });
    await page.goto('/sign-in');
    await page.locator('[data-testid="wechat-one-tap"]').click();
    await page.locator('button', { hasText: '拒绝' }).click();
    await page.locator('[data-testid="sign-in-returned-error"]').waitFor();
    expect(page.url()).not.toContain('error=');
  });

  it('gives other phone browsers the QR code as a picture to save, the steps, and a link to copy', async () => {
    const page = await phone({ userAgent: MOBILE_SAFARI_UA });
    await page.goto('/sign-in');
    await page.locator('[data-testid="wechat-save-guide"]').waitFor();
    await page.locator('[data-testid="wechat-copy-link"]').waitFor();
    expect(await page.locator('[data-testid="wechat-one-tap"]').count()).toBe(0);
    await saveScreenshot(page, 'phone-sign-in-browser');
  });
});
