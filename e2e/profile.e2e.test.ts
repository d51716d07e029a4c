import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, newVisitor, saveScreenshot } from './support/browser';
import { twoColourPng } from './support/images';
import { type RunningServer, startServer } from './support/server';
import { nextQrcodeOn, scanWithSimulatedPhone } from './support/wechat';

/**
 * WeChat gives this flow no nickname or avatar, so a first WeChat sign-in offers to choose both.
 * A newcomer's way through it: sign in, land on /welcome, choose a name and a picture, see them on /account.
 */
describe('profile completion after a first WeChat sign-in, in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  const openid = `oE2E_${randomBytes(6).toString('hex')}`;
  const chosenName = '林小明';

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launchChromium()]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('lands a new WeChat user on /welcome with the placeholder name ready to replace', async () => {
    ({ page } = await newVisitor(browser, server.baseUrl));
    const qrcode = nextQrcodeOn(page);
    await page.goto('/sign-in');
    await scanWithSimulatedPhone(server.baseUrl, await qrcode, openid);

    await page.waitForURL('**/welcome');
    await page.locator('h1', { hasText: '欢迎！完善一下你的资料' }).waitFor();
    const nameInput = page.locator('[data-testid="welcome"] input[name="name"]');
    await expect.poll(() => nameInput.inputValue()).toBe(`WeChat user ${openid.slice(-6)}`);
    // Selected, so that typing replaces it.
    expect(await nameInput.evaluate((input: HTMLInputElement) => input.value.slice(input.selectionStart ?? 0, input.selectionEnd ?? 0))).toBe(await nameInput.inputValue());
  });

  it('refuses a file that is not an image before sending it', async () => {
    await page.locator('[data-testid="avatar-input"]').setInputFiles({ name: 'notes.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n') });
    await page.locator('[data-testid="avatar-picker"] [role="alert"]', { hasText: '只能上传 PNG、JPEG、WebP 或 GIF 图片' }).waitFor();
  });

  it('saves the chosen name and avatar, and shows them on the account page', async () => {
    await page.locator('[data-testid="welcome"] input[name="name"]').fill(chosenName);
    await page.locator('[data-testid="avatar-input"]').setInputFiles({ name: 'me.png', mimeType: 'image/png', buffer: twoColourPng(96, [30, 144, 255], [255, 196, 0]) });
    await expect.poll(() => page.locator('[data-testid="avatar-preview"] img').getAttribute('src')).toMatch(/^blob:/);
    await page.locator('[data-testid="avatar-picker"] [role="alert"]').waitFor({ state: 'detached' });
    await saveScreenshot(page, 'welcome');

    await page.locator('[data-testid="welcome-save"]').click();

    await page.waitForURL('**/account');
    await page.locator('[data-testid="profile-name"]', { hasText: chosenName }).waitFor();
    const avatar = page.locator('[data-testid="profile-avatar"] img');
    await expect.poll(() => avatar.getAttribute('src')).toMatch(/\/api\/v1\/pub\/avatars\/[0-9a-f]{24}$/);
    // The picture really loaded from our server (served as image/png), not just a URL in an attribute.
    await expect.poll(() => avatar.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(96);
    await saveScreenshot(page, 'account-with-avatar');
  });
});
