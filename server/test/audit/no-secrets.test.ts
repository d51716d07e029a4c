import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Response } from 'supertest';
import { browser, type Browser } from '../support/http.js';
import { TEST_WECHAT, newWechatUser, requestQrcode, startWechatHarness, type WechatHarness } from '../support/wechat-harness.js';
import { TEST_SECRET } from '../support/test-runtime.js';
import { auditEvents } from './audit-support.js';

const ADMIN_PASSWORD = 'root-password-Adm1n';
const USER_PASSWORD = 'known-user-password-Xy7';
const WRONG_PASSWORD = 'wrong-guess-password-Qz4';
const RESET_PASSWORD = 'reset-by-admin-Pw9';

let harness: WechatHarness;
/** Every secret the run handed out or sent: passwords, session tokens, cookie values. */
const secrets = new Set<string>([ADMIN_PASSWORD, USER_PASSWORD, WRONG_PASSWORD, RESET_PASSWORD, TEST_SECRET, TEST_WECHAT.appSecret, TEST_WECHAT.encodingAESKey]);

/** Keeps the session token and every cookie value a response hands out. */
function collectSecrets(res: Response): Response {
  if (typeof res.body?.token === 'string') secrets.add(res.body.token);
  const cookies = res.headers['set-cookie'] as unknown as string[] | undefined;
  for (const cookie of cookies ?? []) {
    const value = decodeURIComponent(cookie.split(';')[0]!.split('=').slice(1).join('='));
    if (value.length >= 8) {
      secrets.add(value);
      // A signed cookie is "token.signature": neither half may land in the trail.
      for (const part of value.split('.')) if (part.length >= 8) secrets.add(part);
    }
  }
  return res;
}

async function post(client: Browser, path: string, body?: object): Promise<Response> {
  return collectSecrets(await client.post(path, body));
}

beforeAll(async () => {
  harness = await startWechatHarness({ mode: 'safe', env: { ADMIN_USERNAME: 'root', ADMIN_PASSWORD } });
});
afterAll(async () => {
  await harness?.close();
});

describe('the audit trail keeps no secret', () => {
  it('after sign-ins, failures, WeChat and admin actions, no stored event contains a password, token or cookie', async () => {
    const app = harness.runtime.app;
    const admin = browser(app);
    expect((await post(admin, '/api/auth/sign-in/username', { username: 'root', password: ADMIN_PASSWORD })).status).toBe(200);

    const user = browser(app);
    const signUp = await post(user, '/api/auth/sign-up/email', { email: 'kim@example.com', password: USER_PASSWORD, name: 'Kim', username: 'kim' });
    const userId = signUp.body.user.id as string;
    expect((await post(browser(app), '/api/auth/sign-in/email', { email: 'kim@example.com', password: USER_PASSWORD })).status).toBe(200);
    expect((await post(browser(app), '/api/auth/sign-in/username', { username: 'kim', password: WRONG_PASSWORD })).status).toBe(401);
    // A password typed into the username field must not be kept either.
    await post(browser(app), '/api/auth/sign-in/username', { username: USER_PASSWORD.slice(0, 30), password: USER_PASSWORD });
    await post(browser(app), '/api/auth/sign-in/email', { email: `${WRONG_PASSWORD}@example.com`, password: WRONG_PASSWORD });

    expect((await post(admin, '/api/auth/admin/set-user-password', { userId, newPassword: RESET_PASSWORD })).status).toBe(200);
    expect((await post(admin, '/api/auth/admin/update-user', { userId, data: { username: 'kim_two' } })).status).toBe(200);
    expect((await post(admin, '/api/auth/admin/update-user', { userId, data: { password: WRONG_PASSWORD } })).status).toBe(400);
    expect((await post(admin, '/api/auth/admin/set-role', { userId, role: 'admin' })).status).toBe(200);
    expect((await post(admin, '/api/auth/admin/ban-user', { userId, banReason: 'testing' })).status).toBe(200);
    expect((await post(admin, '/api/auth/admin/unban-user', { userId })).status).toBe(200);
    expect((await post(browser(app), '/api/auth/sign-in/username', { username: 'kim_two', password: RESET_PASSWORD })).status).toBe(200);

    // A WeChat sign-in (QR, scan, confirmation when asked), so the lead's WeChat events are checked too.
    const phoneUser = browser(app);
    const qrcode = await requestQrcode(phoneUser);
    const push = await harness.simulator.phone.scan({ ticketOrUrl: qrcode.qrcodeContent, user: newWechatUser() });
    if (/https?:\/\//.test(push.reply?.Content ?? '')) await harness.simulator.phone.answerConfirmation(push.reply, 'confirm');
    expect((await post(phoneUser, '/api/auth/sign-in-wechat', { sceneId: qrcode.sceneId })).status).toBe(200);

    const stored = JSON.stringify(await auditEvents(harness.runtime));
    expect(stored.length).toBeGreaterThan(100);
    const types = new Set((await auditEvents(harness.runtime)).map((event) => event.type));
    for (const type of ['sign-in.succeeded', 'sign-in.failed', 'admin.password-set', 'admin.user-updated', 'admin.role-set', 'admin.user-banned', 'admin.user-unbanned']) {
      expect(types, type).toContain(type);
    }
    expect(secrets.size).toBeGreaterThan(10);
    for (const secret of secrets) expect(stored, `a secret (${secret.slice(0, 4)}…) landed in the trail`).not.toContain(secret);
  });
});
