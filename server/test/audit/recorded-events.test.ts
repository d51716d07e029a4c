import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browser, signInByUsername, signUpByEmail, type Browser } from '../support/http.js';
import { newWechatUser, requestQrcode, signInByWechat, startWechatHarness, type WechatHarness } from '../support/wechat-harness.js';
import { auditEvents, postAs, uniqueUserAgent, userIdOf } from './audit-support.js';

const ADMIN_PASSWORD = 'root-password-1';
const ZED_PASSWORD = 'zed-secret-password-1';
const WRONG_PASSWORD = 'not-zeds-password-9';

let harness: WechatHarness;
let admin: Browser;
let adminId: string;
let zedId: string;

beforeAll(async () => {
  harness = await startWechatHarness({ mode: 'plain', env: { ADMIN_USERNAME: 'root', ADMIN_PASSWORD } });
  admin = await signInByUsername(harness.runtime.app, 'root', ADMIN_PASSWORD);
  adminId = await userIdOf(admin);
  const zed = await signUpByEmail(harness.runtime.app, { email: 'zed@example.com', password: ZED_PASSWORD, name: 'Zed', username: 'zed' });
  zedId = await userIdOf(zed);
});
afterAll(async () => {
  await harness?.close();
});

const app = () => harness.runtime.app;
/** The one event the request with this user agent caused (fails when there are none or several). */
async function onlyEventOf(userAgent: string) {
  const events = await auditEvents(harness.runtime, { userAgent });
  expect(events, `events sent with ${userAgent}`).toHaveLength(1);
  return events[0]!;
}

/** A signed-in browser binds the WeChat that scans its bind QR code (confirming on the phone when asked to). */
async function bindByScan(client: Browser, user: ReturnType<typeof newWechatUser>, userAgent: string) {
  const qrcode = await requestQrcode(client, 'bind');
  const push = await harness.simulator.phone.scan({ ticketOrUrl: qrcode.qrcodeContent, user });
  if (/https?:\/\//.test(push.reply?.Content ?? '')) await harness.simulator.phone.answerConfirmation(push.reply, 'confirm');
  return postAs(client, userAgent, '/api/auth/bind-wechat', { sceneId: qrcode.sceneId });
}

describe('sign-in events', () => {
  it('records a password sign-in once, by method, with the IP and user agent', async () => {
    for (const [path, body, method] of [
      ['/api/auth/sign-in/email', { email: 'ZED@example.com', password: ZED_PASSWORD }, 'email'],
      ['/api/auth/sign-in/username', { username: 'zed', password: ZED_PASSWORD }, 'username'],
    ] as const) {
      const userAgent = uniqueUserAgent(method);
      expect((await postAs(browser(app()), userAgent, path, body)).status).toBe(200);
      const event = await onlyEventOf(userAgent);
      expect(event).toMatchObject({ type: 'sign-in.succeeded', outcome: 'success', userId: zedId, actorId: null, details: { method } });
      expect(event.ip).toMatch(/127\.0\.0\.1$/);
      expect(event.at).toBeInstanceOf(Date);
    }
  });

  it('records a failed sign-in with the error code, for the user when one matches', async () => {
    const wrongPassword = uniqueUserAgent('wrong password');
    expect((await postAs(browser(app()), wrongPassword, '/api/auth/sign-in/username', { username: 'ZED', password: WRONG_PASSWORD })).status).toBe(401);
    expect(await onlyEventOf(wrongPassword)).toMatchObject({
      type: 'sign-in.failed',
      outcome: 'failure',
      userId: zedId,
      details: { method: 'username', code: 'INVALID_USERNAME_OR_PASSWORD' },
    });

    const unknownUser = uniqueUserAgent('unknown user');
    await postAs(browser(app()), unknownUser, '/api/auth/sign-in/email', { email: 'nobody@example.com', password: WRONG_PASSWORD });
    expect(await onlyEventOf(unknownUser)).toMatchObject({ type: 'sign-in.failed', userId: null, details: { method: 'email', code: 'INVALID_EMAIL_OR_PASSWORD' } });
    // The identifier typed is not kept: people paste passwords into it.
    expect(JSON.stringify(await onlyEventOf(unknownUser))).not.toContain('nobody@example.com');
  });

  it('records a WeChat sign-in and a refused one', async () => {
    const { body } = await signInByWechat(harness, newWechatUser());
    const succeeded = await auditEvents(harness.runtime, { type: 'sign-in.succeeded', userId: body.user.id });
    expect(succeeded).toHaveLength(1);
    expect(succeeded[0]).toMatchObject({ outcome: 'success', details: { method: 'wechat' } });

    const refused = uniqueUserAgent('unknown scene');
    const res = await postAs(browser(app()), refused, '/api/auth/sign-in-wechat', { sceneId: 'abcdefghijklmnopqrstuvwx' });
    expect(res.status).toBe(404);
    expect(await onlyEventOf(refused)).toMatchObject({ type: 'sign-in.failed', outcome: 'failure', userId: null, details: { method: 'wechat', code: 'SCENE_NOT_FOUND' } });
  });
});

describe('WeChat binding events', () => {
  it('records bind and unbind by the signed-in user, successful or not', async () => {
    const client = await signUpByEmail(app(), { email: 'binder@example.com', password: 'binder-password-1', name: 'Binder' });
    const binderId = await userIdOf(client);
    const wechatUser = newWechatUser();

    const bound = uniqueUserAgent('bind');
    expect((await bindByScan(client, wechatUser, bound)).status).toBe(200);
    expect(await onlyEventOf(bound)).toMatchObject({ type: 'wechat.bound', outcome: 'success', userId: binderId, details: { openid: wechatUser.openid } });

    const refusedBind = uniqueUserAgent('bind unknown scene');
    await postAs(client, refusedBind, '/api/auth/bind-wechat', { sceneId: 'abcdefghijklmnopqrstuvwx' });
    expect(await onlyEventOf(refusedBind)).toMatchObject({ type: 'wechat.bound', outcome: 'failure', userId: binderId, details: { code: 'SCENE_NOT_FOUND' } });

    const unbound = uniqueUserAgent('unbind');
    expect((await postAs(client, unbound, '/api/auth/unbind-wechat')).status).toBe(200);
    expect(await onlyEventOf(unbound)).toMatchObject({ type: 'wechat.unbound', outcome: 'success', userId: binderId });

    const refusedUnbind = uniqueUserAgent('unbind again');
    expect((await postAs(client, refusedUnbind, '/api/auth/unbind-wechat')).status).toBe(400);
    expect(await onlyEventOf(refusedUnbind)).toMatchObject({ type: 'wechat.unbound', outcome: 'failure', userId: binderId, details: { code: 'WECHAT_NOT_BOUND' } });

    // Nobody signed in: nobody's event.
    const anonymous = uniqueUserAgent('anonymous unbind');
    expect((await postAs(browser(app()), anonymous, '/api/auth/unbind-wechat')).status).toBe(401);
    expect(await auditEvents(harness.runtime, { userAgent: anonymous })).toHaveLength(0);
  });
});

describe('admin action events', () => {
  it('records each admin action once, with the admin as actor and the target as user', async () => {
    const actions = [
      ['/api/auth/admin/set-user-password', { userId: zedId, newPassword: 'reset-by-admin-1' }, 'admin.password-set', {}],
      ['/api/auth/admin/update-user', { userId: zedId, data: { username: 'zed_renamed', name: 'Zed R' } }, 'admin.user-updated', { fields: 'name,username' }],
      ['/api/auth/admin/ban-user', { userId: zedId, banReason: 'spam' }, 'admin.user-banned', { reason: 'spam' }],
      ['/api/auth/admin/unban-user', { userId: zedId }, 'admin.user-unbanned', {}],
      ['/api/auth/admin/set-role', { userId: zedId, role: 'admin' }, 'admin.role-set', { role: 'admin' }],
      ['/api/auth/admin/set-role', { userId: zedId, role: 'user' }, 'admin.role-set', { role: 'user' }],
    ] as const;
    for (const [path, body, type, details] of actions) {
      const userAgent = uniqueUserAgent(type);
      const res = await postAs(admin, userAgent, path, body);
      expect(res.status, `${path} ${JSON.stringify(res.body)}`).toBe(200);
      const event = await onlyEventOf(userAgent);
      expect(event).toMatchObject({ type, outcome: 'success', userId: zedId, actorId: adminId, details });
      expect(event.ip).toMatch(/127\.0\.0\.1$/);
    }
  });

  it('records a refused admin action with its code, and a non-admin\'s attempt with them as actor', async () => {
    await signUpByEmail(app(), { email: 'amy@example.com', password: 'amy-password-1', name: 'Amy', username: 'amy' });
    const duplicate = uniqueUserAgent('duplicate username');
    const res = await postAs(admin, duplicate, '/api/auth/admin/update-user', { userId: zedId, data: { username: 'amy' } });
    expect(res.status).toBe(400);
    expect(await onlyEventOf(duplicate)).toMatchObject({ type: 'admin.user-updated', outcome: 'failure', actorId: adminId, details: { fields: 'username', code: 'USERNAME_IS_ALREADY_TAKEN' } });

    const user = await signInByUsername(app(), 'zed_renamed', 'reset-by-admin-1');
    const notAdmin = uniqueUserAgent('not an admin');
    expect((await postAs(user, notAdmin, '/api/auth/admin/ban-user', { userId: adminId })).status).toBe(403);
    expect(await onlyEventOf(notAdmin)).toMatchObject({ type: 'admin.user-banned', outcome: 'failure', userId: adminId, actorId: zedId });
  });

  it('refuses a banned user\'s sign-in and records it for them', async () => {
    await admin.post('/api/auth/admin/ban-user', { userId: zedId });
    const banned = uniqueUserAgent('banned');
    expect((await postAs(browser(app()), banned, '/api/auth/sign-in/username', { username: 'zed_renamed', password: 'reset-by-admin-1' })).status).toBe(403);
    expect(await onlyEventOf(banned)).toMatchObject({ type: 'sign-in.failed', userId: zedId, details: { method: 'username', code: 'BANNED_USER' } });
    await admin.post('/api/auth/admin/unban-user', { userId: zedId });
  });

  it('records an admin unbinding a user\'s WeChat from the users page', async () => {
    const { client, body } = await signInByWechat(harness, newWechatUser());
    const refused = uniqueUserAgent('admin unbind refused');
    expect((await postAs(admin, refused, `/api/v1/admin/users/${body.user.id}/unbind-wechat`)).status).toBe(400);
    expect(await onlyEventOf(refused)).toMatchObject({ type: 'admin.wechat-unbound', outcome: 'failure', userId: body.user.id, actorId: adminId, details: { code: 'WECHAT_ONLY_SIGN_IN_METHOD' } });

    await client.post('/api/auth/set-first-password', { newPassword: 'first-password-1' });
    const done = uniqueUserAgent('admin unbind');
    expect((await postAs(admin, done, `/api/v1/admin/users/${body.user.id}/unbind-wechat`)).status).toBe(200);
    const event = await onlyEventOf(done);
    expect(event).toMatchObject({ type: 'admin.wechat-unbound', outcome: 'success', userId: body.user.id, actorId: adminId });
    expect(event.ip).toMatch(/127\.0\.0\.1$/);
  });
});
