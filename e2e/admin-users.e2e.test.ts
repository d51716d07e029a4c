import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Browser, Download, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  adminUserRows,
  createUserAsAdmin,
  type PasswordPerson,
  signInByUsername,
  signUpByEmail,
  waitForRecordedSignIns,
} from './support/admin-users';
import { launchChromium, newVisitor, saveScreenshot } from './support/browser';
import { twoColourPng } from './support/images';
import { confirmMessageBox, expectSuccessToast, signInWithUsername } from './support/pages';
import { ADMIN_PASSWORD, ADMIN_USERNAME, type RunningServer, startServer } from './support/server';
import { nextQrcodeOn, scanWithSimulatedPhone } from './support/wechat';

const GRACE: PasswordPerson = { name: 'Grace Hopper', email: 'grace@example.com', username: 'grace', password: 'grace-password-1' };
const ADA: PasswordPerson = { name: 'Ada Lovelace', email: 'ada@example.com', username: 'ada', password: 'ada-password-1' };
/** Accounts an admin created: they never signed in. */
const NEVER_SIGNED_IN = [
  { name: '王静', email: 'wang.jing@example.cn', password: 'wang-password-1' },
  { name: 'Dormant Dan', email: 'dan@example.com', password: 'dan-password-1' },
] as const;
const UTF8_BOM = [0xef, 0xbb, 0xbf];

/** `YYYY-MM-DD` of this instant on the browser's clock: the day the date picker offers. */
function localDayOf(page: Page, iso: string): Promise<string> {
  return page.evaluate((at) => {
    const day = new Date(at);
    const twoDigits = (value: number) => String(value).padStart(2, '0');
    return `${day.getFullYear()}-${twoDigits(day.getMonth() + 1)}-${twoDigits(day.getDate())}`;
  }, iso);
}

async function downloadedText(download: Download): Promise<{ bytes: Buffer; text: string }> {
  const path = await download.path();
  const bytes = await readFile(path);
  return { bytes, text: bytes.toString('utf8') };
}

/**
 * The admin's users page after real sign-ins: a password by username, a sign-up by email, a WeChat QR scan
 * through the simulator, and two accounts that never signed in. The Last sign-in column, its sort, the
 * dormant-account filter, the CSV export and the avatar an admin uploads and removes, in Chromium.
 */
describe('the admin users page for issue 16, in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  let adminPage: Page;
  const openid = `oE2E_${randomBytes(6).toString('hex')}`;
  const wechatUserName = `WeChat user ${openid.slice(-6)}`;
  const table = () => adminPage.locator('[data-testid="users-table"]');
  const namesInTable = () => table().locator('tbody tr a.user-link > span:not(.el-avatar)').allTextContents().then((names) => names.map((name) => name.trim()));

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launchChromium()]);
    // One after the other, so the last sign-ins have a known order: admin, Grace, Ada, the WeChat user.
    ({ page: adminPage } = await newVisitor(browser, server.baseUrl));
    await adminPage.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await signInWithUsername(adminPage, ADMIN_USERNAME, ADMIN_PASSWORD);
    await adminPage.waitForURL('**/admin/users');
    for (const person of NEVER_SIGNED_IN) await createUserAsAdmin(adminPage, server.baseUrl, person);
    await signUpByEmail(server.baseUrl, GRACE);
    await signUpByEmail(server.baseUrl, ADA);
    await signInByUsername(server.baseUrl, ADA);

    const { page: wechatPage } = await newVisitor(browser, server.baseUrl);
    const qrcode = nextQrcodeOn(wechatPage);
    await wechatPage.goto('/sign-in');
    await scanWithSimulatedPhone(server.baseUrl, await qrcode, openid);
    await wechatPage.waitForURL('**/welcome');
    await wechatPage.context().close();

    // The server records a sign-in after answering it: wait until all four are there.
    await waitForRecordedSignIns(adminPage, 4);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows each user\'s last sign-in with its method, and "never" for those who never signed in', async () => {
    await adminPage.goto('/admin/users');
    const rowOf = (name: string) => table().locator('tbody tr', { has: adminPage.locator('a.user-link', { hasText: name }) });
    const methodOf = (name: string) => rowOf(name).locator('[data-testid="last-sign-in-method"]');

    await expect.poll(() => methodOf(wechatUserName).textContent()).toBe('微信扫码');
    expect(await methodOf(ADA.name).textContent()).toContain('用户名');
    expect(await methodOf(GRACE.name).textContent()).toContain('邮箱');
    expect(await methodOf(ADMIN_USERNAME).textContent()).toContain('用户名');
    for (const person of NEVER_SIGNED_IN) {
      expect(await rowOf(person.name).locator('[data-testid="last-sign-in"]').textContent()).toBe('从未登录');
    }
    // How long ago, with the exact time for hover and for screen readers.
    const wechatTime = rowOf(wechatUserName).locator('[data-testid="last-sign-in"] time');
    expect(await wechatTime.textContent()).toMatch(/现在|秒钟前|分钟前/);
    expect(await wechatTime.getAttribute('aria-label')).toMatch(/^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2} · 来自 /);
    await saveScreenshot(adminPage, 'admin-users');
  });

  it('sorts by last sign-in on the server, and a second click flips the order', async () => {
    const signedInOrder = [ADMIN_USERNAME, GRACE.name, ADA.name, wechatUserName];
    const signedInNames = async () => (await namesInTable()).filter((name) => signedInOrder.includes(name));
    const header = table().locator('thead th', { hasText: '最近登录' });
    // On the header's words, not its centre: the arrows there each pick a direction instead of flipping it.
    const clickHeader = () => header.getByText('最近登录').click({ position: { x: 5, y: 5 } });

    await clickHeader();
    await adminPage.waitForURL(/sortBy=lastSignInAt&sortDirection=asc/);
    await expect.poll(signedInNames).toEqual(signedInOrder);

    await clickHeader();
    await adminPage.waitForURL(/sortBy=lastSignInAt(?!&sortDirection=asc)/);
    expect(new URL(adminPage.url()).searchParams.get('sortDirection') ?? 'desc').toBe('desc');
    await expect.poll(signedInNames).toEqual([...signedInOrder].reverse());
  });

  it('narrows to dormant accounts with the "not signed in since" day, kept in the URL for back and forward', async () => {
    const rows = await adminUserRows(adminPage);
    const firstSignIn = rows.flatMap((row) => (row.lastSignIn ? [row.lastSignIn.at] : [])).sort()[0];
    if (!firstSignIn) throw new Error('nobody signed in');
    // Every sign-in of the suite happened on or after this day: only those who never signed in are left.
    const day = await localDayOf(adminPage, firstSignIn);
    await adminPage.goto('/admin/users');
    await expect.poll(() => namesInTable().then((names) => names.length)).toBe(6);

    const picker = adminPage.locator('input[name="notSignedInSince"]');
    await picker.click();
    await picker.fill(day);
    await picker.press('Enter');

    await adminPage.waitForURL(new RegExp(`notSignedInSince=${day}`));
    const neverNames = NEVER_SIGNED_IN.map((person) => person.name).sort();
    await expect.poll(() => namesInTable().then((names) => names.sort())).toEqual(neverNames);

    await adminPage.goBack();
    await expect.poll(() => namesInTable().then((names) => names.length)).toBe(6);
    expect(await picker.inputValue()).toBe('');
    await adminPage.goForward();
    await expect.poll(() => namesInTable().then((names) => names.sort())).toEqual(neverNames);
    expect(await picker.inputValue()).toBe(day);
  });

  it('exports the filtered list as UTF-8 CSV with a BOM, and WeChat ids only when ticked', async () => {
    // Still on the dormant-account filter of the step before.
    expect(new URL(adminPage.url()).searchParams.has('notSignedInSince')).toBe(true);
    const dormant = await exportCsv({ includeWechatIds: false });
    expect([...dormant.bytes.subarray(0, 3)]).toEqual(UTF8_BOM);
    const records = dormant.text.slice(1).split('\r\n').filter((line) => line !== '');
    expect(records).toHaveLength(1 + NEVER_SIGNED_IN.length);
    for (const person of NEVER_SIGNED_IN) expect(dormant.text).toContain(person.email);
    for (const email of [ADA.email, GRACE.email]) expect(dormant.text).not.toContain(email);

    await adminPage.goto('/admin/users');
    await table().locator('a.user-link', { hasText: wechatUserName }).waitFor();
    const withoutIds = await exportCsv({ includeWechatIds: false });
    expect(withoutIds.text).toContain(wechatUserName);
    expect(withoutIds.text).not.toContain(openid);
    expect(withoutIds.text.split('\r\n')[0]).not.toMatch(/openid|unionid/i);
    expect(withoutIds.text).not.toMatch(/\$2[aby]\$|scrypt|password/i);

    const withIds = await exportCsv({ includeWechatIds: true });
    expect([...withIds.bytes.subarray(0, 3)]).toEqual(UTF8_BOM);
    expect(withIds.text).toContain(openid);
    expect(withIds.text.split('\r\n')[0]).toMatch(/openid/i);
    // The Chinese name survives the round trip (the reason for the BOM).
    expect(withIds.text).toContain('王静');
  });

  async function exportCsv({ includeWechatIds }: { includeWechatIds: boolean }): Promise<{ bytes: Buffer; text: string }> {
    await adminPage.locator('[data-testid="export-users"]').click();
    const dialog = adminPage.locator('.el-dialog', { hasText: '导出用户' });
    await dialog.waitFor({ state: 'visible' });
    const box = dialog.locator('[data-testid="export-include-wechat-ids"]');
    if (includeWechatIds) {
      await box.click();
      await dialog.locator('[role="alert"]', { hasText: '微信 ID 属于个人信息' }).waitFor();
    }
    const download = adminPage.waitForEvent('download');
    await dialog.locator('[data-testid="export-download"]').click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/\.csv$/);
    await dialog.waitFor({ state: 'hidden' });
    return downloadedText(file);
  }

  it("shows a user's id to copy, the email's state and the last sign-in, and lets the admin upload and remove their avatar", async () => {
    await adminPage.goto('/admin/users');
    await table().locator('a.user-link', { hasText: ADA.name }).click();
    await adminPage.waitForURL('**/admin/users/*');
    const userId = new URL(adminPage.url()).pathname.split('/').pop() ?? '';

    const summary = adminPage.locator('[data-testid="user-summary"]');
    await summary.locator('[data-testid="user-id"]', { hasText: userId }).waitFor();
    await summary.locator('[data-testid="email-verification"]', { hasText: '未验证' }).waitFor();
    await summary.locator('[data-testid="summary-last-sign-in"] [data-testid="last-sign-in-method"]', { hasText: '用户名' }).waitFor();
    expect(await summary.locator('[data-testid="summary-last-sign-in-ip"]').textContent()).toMatch(/127\.0\.0\.1|::1/);

    await summary.locator('[data-testid="copy-user-id"]').click();
    await expectSuccessToast(adminPage, '已复制用户 ID');
    expect(await adminPage.evaluate(() => navigator.clipboard.readText())).toBe(userId);

    const card = adminPage.locator('[data-testid="user-avatar-card"]');
    await card.locator('[data-testid="user-avatar-input"]').setInputFiles({ name: 'ada.png', mimeType: 'image/png', buffer: twoColourPng(96, [220, 38, 127], [255, 176, 0]) });
    await expectSuccessToast(adminPage, '头像已更新');
    const avatar = card.locator('[data-testid="user-avatar"] img');
    await expect.poll(() => avatar.getAttribute('src')).toMatch(/\/api\/v1\/pub\/avatars\/[0-9a-f]{24}$/);
    // Really served by our server as an image, not just a URL in an attribute.
    await expect.poll(() => avatar.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(96);
    await saveScreenshot(adminPage, 'admin-user-detail');

    await card.locator('[data-testid="user-avatar-remove"]').click();
    await confirmMessageBox(adminPage, '移除头像');
    await expectSuccessToast(adminPage, '头像已移除');
    await avatar.waitFor({ state: 'detached' });
    await card.locator('[data-testid="user-avatar-remove"]').waitFor({ state: 'detached' });
    expect((await adminUserRows(adminPage)).find((row) => row.id === userId)).toMatchObject({ name: ADA.name, image: null });
  });

  it('refuses, before sending, a file the server would not take', async () => {
    const uploads: string[] = [];
    adminPage.on('request', (request) => {
      if (request.method() === 'PUT') uploads.push(request.url());
    });
    const card = adminPage.locator('[data-testid="user-avatar-card"]');
    await card.locator('[data-testid="user-avatar-input"]').setInputFiles({ name: 'notes.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n') });
    await card.locator('[role="alert"]', { hasText: '只能上传 PNG、JPEG、WebP 或 GIF 图片' }).waitFor();
    expect(uploads).toEqual([]);
  });
});
