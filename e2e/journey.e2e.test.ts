import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, newVisitor, saveScreenshot } from './support/browser';
import { confirmMessageBox, expectSuccessToast, fillAndSubmit, signInWithUsername } from './support/pages';
import { seedPasswordUsers } from './support/seed';
import { ADMIN_PASSWORD, ADMIN_USERNAME, type RunningServer, startServer } from './support/server';
import { nextQrcodeOn, QRCODE_PATH, scanWithSimulatedPhone } from './support/wechat';

/**
 * One person's story through the built product, in order: a WeChat sign-up, binding, the admin's help,
 * and the password sign-in it makes possible. Each step waits for visible UI states, never for time.
 */
describe('the WeChat login journey in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  let userPage: Page;
  const openid = `oE2E_${randomBytes(6).toString('hex')}`;
  const wechatUserName = `WeChat user ${openid.slice(-6)}`;
  const username = `alice_${openid.slice(-4)}`;
  const adminSetPassword = 'password-from-admin-1';

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launchChromium()]);
    await seedPasswordUsers(server.baseUrl);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('signs a new WeChat user in by scanning the QR code, onto their account page', async () => {
    ({ page: userPage } = await newVisitor(browser, server.baseUrl));
    const qrcode = nextQrcodeOn(userPage);
    await userPage.goto('/sign-in');
    const widget = userPage.locator('[data-testid="wechat-login"]');
    await expect.poll(() => widget.locator('img.wl-qr').getAttribute('src')).toMatch(/^data:image\/svg\+xml/);
    await widget.locator('[data-testid="wechat-countdown"]', { hasText: /[0-5]:\d\d 后失效/ }).waitFor();
    await widget.locator('a.wl-simulator', { hasText: '开发环境：打开微信模拟器' }).waitFor();
    await saveScreenshot(userPage, 'sign-in');

    await scanWithSimulatedPhone(server.baseUrl, await qrcode, openid);

    // A first WeChat sign-in offers to choose a name and avatar (e2e/profile.e2e.test.ts); this story skips it.
    await userPage.waitForURL('**/welcome');
    await userPage.locator('[data-testid="welcome-skip"]').click();
    await userPage.waitForURL('**/account');
    await userPage.locator('[data-testid="profile-name"]', { hasText: wechatUserName }).waitFor();
    await userPage.locator('[data-testid="profile-card"] .el-tag', { hasText: '微信占位邮箱' }).waitFor();
    await userPage.locator('[data-testid="wechat-binding-state"]', { hasText: '已绑定' }).waitFor();
    await userPage.locator('[data-testid="password-card"]', { hasText: '你通过微信注册，还没有密码' }).waitFor();
    await saveScreenshot(userPage, 'account');
  });

  it('refuses to unbind WeChat while it is the only way in, and explains why', async () => {
    await userPage.locator('[data-testid="wechat-binding-card"] button', { hasText: '解除绑定' }).click();
    await confirmMessageBox(userPage, '解除微信绑定');

    await userPage.locator('.el-message-box', { hasText: '微信是你唯一的登录方式' }).waitFor();
    await confirmMessageBox(userPage, '无法解除绑定');
    await userPage.locator('[data-testid="wechat-binding-state"]', { hasText: '已绑定' }).waitFor();
  });

  it('sets a first password, unbinds WeChat, and binds it again by scanning in the dialog', async () => {
    await fillAndSubmit(userPage, '[data-testid="password-card"]', { newPassword: 'first-password-1', repeatPassword: 'first-password-1' });
    await expectSuccessToast(userPage, '密码已设置');
    await userPage.locator('[data-testid="password-card"] input[name="currentPassword"]').waitFor();

    await userPage.locator('[data-testid="wechat-binding-card"] button', { hasText: '解除绑定' }).click();
    await confirmMessageBox(userPage, '解除微信绑定');
    await userPage.locator('[data-testid="wechat-binding-state"]', { hasText: '未绑定' }).waitFor();

    const bindQrcode = nextQrcodeOn(userPage);
    await userPage.locator('[data-testid="wechat-binding-card"] button', { hasText: '绑定微信' }).click();
    const dialog = userPage.locator('[data-testid="bind-wechat-dialog"]');
    await dialog.locator('img.wl-qr').waitFor();
    await saveScreenshot(userPage, 'bind-dialog');
    await scanWithSimulatedPhone(server.baseUrl, await bindQrcode, openid);

    await expectSuccessToast(userPage, '微信已绑定');
    await dialog.waitFor({ state: 'hidden' });
    await userPage.locator('[data-testid="wechat-binding-state"]', { hasText: '已绑定' }).waitFor();
  });

  it('lets an admin find the user, set a username and reset the password', async () => {
    const { page: adminPage } = await newVisitor(browser, server.baseUrl);
    await signInWithUsername(adminPage, ADMIN_USERNAME, ADMIN_PASSWORD);
    await adminPage.waitForURL('**/admin/users');
    const table = adminPage.locator('[data-testid="users-table"]');
    await table.locator('a.user-link', { hasText: 'Ada Lovelace' }).waitFor();
    await table.locator('a.user-link', { hasText: wechatUserName }).waitFor();
    await saveScreenshot(adminPage, 'users');

    await adminPage.locator('input[name="search"]').fill(openid.toLowerCase());
    await adminPage.locator('input[name="search"]').press('Enter');
    await adminPage.waitForURL(/search=/);
    await expect.poll(() => table.locator('tbody tr').count()).toBe(1);
    await table.locator('a.user-link', { hasText: wechatUserName }).click();

    await adminPage.waitForURL('**/admin/users/*');
    await adminPage.locator('[data-testid="user-linked-accounts"]', { hasText: openid }).waitFor();
    await fillAndSubmit(adminPage, '[data-testid="user-username-form"]', { username });
    await expectSuccessToast(adminPage, '用户名已保存');
    await adminPage.locator('[data-testid="summary-username"]', { hasText: username }).waitFor();

    await fillAndSubmit(adminPage, '[data-testid="user-password-form"]', { newPassword: adminSetPassword, repeatPassword: adminSetPassword });
    await confirmMessageBox(adminPage, '重置密码');
    await expectSuccessToast(adminPage, '密码已设置');
    await saveScreenshot(adminPage, 'user-detail');
    await adminPage.context().close();
  });

  it('signs the user in with the username and password the admin set', async () => {
    const { page } = await newVisitor(browser, server.baseUrl);
    userPage = page;
    await signInWithUsername(userPage, username, adminSetPassword);
    await userPage.waitForURL('**/account');
    await userPage.locator('[data-testid="profile-username"]', { hasText: username }).waitFor();
  });

  it('keeps a non-admin out of the admin pages', async () => {
    await userPage.goto('/admin/users');
    await userPage.locator('.el-result', { hasText: '403 无权访问' }).waitFor();
    expect(new URL(userPage.url()).pathname).toBe('/403');
    await saveScreenshot(userPage, 'forbidden');
  });

  it('switches the account page to English from the header, and keeps English after a reload', async () => {
    await userPage.goto('/account');
    await userPage.locator('.app-header button[aria-label="语言"]').click();
    await userPage.locator('.el-dropdown-menu__item', { hasText: 'English' }).click();
    await userPage.locator('h1', { hasText: 'My account' }).waitFor();

    await userPage.reload();
    await userPage.locator('[data-testid="password-card"] button', { hasText: 'Change password' }).waitFor();
    await userPage.locator('[data-testid="wechat-binding-state"]', { hasText: 'Bound' }).waitFor();
    await saveScreenshot(userPage, 'account-en');
  });

  it('signs in from another page of the site through the <wechat-login> custom element', async () => {
    const { page } = await newVisitor(browser, server.baseUrl);
    const qrcode = nextQrcodeOn(page);
    await page.goto('/widget/demo.html');
    await page.locator('wechat-login img.wl-qr').waitFor();
    await page.locator('wechat-login a.wl-simulator').waitFor();
    await saveScreenshot(page, 'widget-demo');

    await scanWithSimulatedPhone(server.baseUrl, await qrcode, openid);

    await page.locator('#demo-result', { hasText: `已登录：${wechatUserName}` }).waitFor();
  });

  // Every browser of the suite is one client address, so the suite runs with the per-IP limits off (see
  // support/server.ts); with them on, a step would fail with a 429 that has nothing to do with it.
  it('ran against a server without per-IP rate limits', async () => {
    // One address may ask for 20 QR codes a minute when the limits are on; ask for more than that at once.
    const statuses = await Promise.all(
      Array.from({ length: 30 }, () => fetch(`${server.baseUrl}${QRCODE_PATH}?purpose=login`).then((response) => response.status)),
    );
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
  });
});
