import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { launchChromium, newVisitor, saveScreenshot } from './support/browser';
import { signInWithUsername } from './support/pages';
import { ADMIN_PASSWORD, ADMIN_USERNAME, type RunningServer, startServer } from './support/server';

/** The audit trail as an admin meets it: sign in, open Activity, find the sign-ins (and the failed one). */
describe('the Activity page in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launchChromium()]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows the admin their own sign-in and a failed attempt, and filters by type', async () => {
    // A cookie-less POST needs no Origin: a stranger guessing the admin's password.
    await fetch(`${server.baseUrl}/api/auth/sign-in/username`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'PasswordGuesser/1.0' },
      body: JSON.stringify({ username: ADMIN_USERNAME, password: 'not-the-password-1' }),
    });

    const { page } = await newVisitor(browser, server.baseUrl);
    await signInWithUsername(page, ADMIN_USERNAME, ADMIN_PASSWORD);
    await page.waitForURL('**/admin/users');
    await page.locator('[data-testid="nav-activity"]').click();
    await page.waitForURL('**/admin/activity');

    const table = page.locator('[data-testid="audit-event-table"]');
    const signedIn = table.locator('tr', { hasText: '登录成功' }).first();
    await signedIn.waitFor();
    await signedIn.locator('a', { hasText: ADMIN_USERNAME }).waitFor();
    await signedIn.locator('.el-tag', { hasText: '方式: 用户名' }).waitFor();
    const failed = table.locator('tr', { hasText: '登录失败' }).first();
    await failed.locator('.el-tag', { hasText: 'INVALID_USERNAME_OR_PASSWORD' }).waitFor();
    await failed.locator('[data-testid="audit-user-agent"]', { hasText: 'PasswordGuesser/1.0' }).waitFor();
    await saveScreenshot(page, 'activity');

    await page.goto('/admin/activity?type=sign-in.failed');
    await table.locator('tr', { hasText: '登录失败' }).first().waitFor();
    await table.locator('tr', { hasText: '登录成功' }).waitFor({ state: 'detached' });
  });
});
