import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browser, signInByUsername, signUpByEmail, type Browser } from '../support/http.js';
import { newWechatUser, requestQrcode, scanAndConfirm, signInByWechat, startWechatHarness, type WechatHarness } from '../support/wechat-harness.js';

let harness: WechatHarness;
let admin: Browser;
beforeAll(async () => {
  harness = await startWechatHarness({ mode: 'plain', env: { ADMIN_USERNAME: 'root', ADMIN_PASSWORD: 'root-password-1' } });
  admin = await signInByUsername(harness.runtime.app, 'root', 'root-password-1');
});
afterAll(async () => {
  await harness?.close();
});

/** A signed-in browser binds the WeChat that scans its bind QR code. */
async function bindByScan(client: Browser, user: ReturnType<typeof newWechatUser>) {
  const qrcode = await requestQrcode(client, 'bind');
  const push = await scanAndConfirm(harness, qrcode, user);
  expect(push.reply?.Content).toMatch(/^你正在把这个微信绑定到「WeChat Login」的账号。\n[\s\S]*>确认绑定<\/a>/);
  return client.post('/api/auth/bind-wechat', { sceneId: qrcode.sceneId });
}

describe('binding and unbinding WeChat', () => {
  it('binds WeChat to an email user, who can then sign in by WeChat into the same account', async () => {
    const client = await signUpByEmail(harness.runtime.app, { email: 'binder@example.com', password: 'password-123', name: 'Binder' });
    expect((await client.get('/api/auth/check-wechat-binding')).body).toEqual({ bound: false });

    const wechatUser = newWechatUser();
    const bind = await bindByScan(client, wechatUser);
    expect(bind.status).toBe(200);
    const binding = await client.get('/api/auth/check-wechat-binding');
    expect(binding.body).toMatchObject({ bound: true, openid: wechatUser.openid, unionid: null });
    expect(new Date(binding.body.boundAt).getTime()).toBeGreaterThan(Date.now() - 60_000);

    const viaWechat = await signInByWechat(harness, wechatUser);
    expect(viaWechat.body.isNewUser).toBe(false);
    expect(viaWechat.body.user.email).toBe('binder@example.com');

    const second = await bindByScan(client, newWechatUser());
    expect(second.status).toBe(409);
    expect(second.body.code).toBe('USER_ALREADY_HAS_WECHAT');

    const unbind = await client.post('/api/auth/unbind-wechat');
    expect(unbind.status).toBe(200);
    expect((await client.get('/api/auth/check-wechat-binding')).body).toEqual({ bound: false });
  });

  it('refuses to bind a WeChat that belongs to another user', async () => {
    const owner = newWechatUser();
    await signInByWechat(harness, owner);
    const other = await signUpByEmail(harness.runtime.app, { email: 'other@example.com', password: 'password-123', name: 'Other' });
    const bind = await bindByScan(other, owner);
    expect(bind.status).toBe(409);
    expect(bind.body.code).toBe('WECHAT_ALREADY_BOUND');
  });

  it('refuses a bind with a login scene, and a login with a bind scene', async () => {
    const client = await signUpByEmail(harness.runtime.app, { email: 'mixed@example.com', password: 'password-123', name: 'Mixed' });
    const login = await requestQrcode(client, 'login');
    await harness.simulator.phone.scan({ ticketOrUrl: login.qrcodeContent, user: newWechatUser() });
    expect((await client.post('/api/auth/bind-wechat', { sceneId: login.sceneId })).status).toBe(404);
    expect((await browser(harness.runtime.app).post('/api/auth/bind-wechat', { sceneId: login.sceneId })).status).toBe(401);
  });

  it('refuses to unbind when WeChat is the only way in; an admin-set password opens username and placeholder-email sign-in', async () => {
    const wechatUser = newWechatUser();
    const { client, body } = await signInByWechat(harness, wechatUser);
    const refused = await client.post('/api/auth/unbind-wechat');
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe('WECHAT_ONLY_SIGN_IN_METHOD');

    const setPassword = await admin.post('/api/auth/admin/set-user-password', { userId: body.user.id, newPassword: 'given-by-admin-1' });
    expect(setPassword.status).toBe(200);
    const byEmail = await browser(harness.runtime.app).post('/api/auth/sign-in/email', { email: body.user.email, password: 'given-by-admin-1' });
    expect(byEmail.status).toBe(200);
    expect(byEmail.body.user.id).toBe(body.user.id);

    const setUsername = await admin.post('/api/auth/admin/update-user', { userId: body.user.id, data: { username: 'wechat_fan' } });
    expect(setUsername.status).toBe(200);
    const byUsername = await browser(harness.runtime.app).post('/api/auth/sign-in/username', { username: 'wechat_fan', password: 'given-by-admin-1' });
    expect(byUsername.status).toBe(200);
    expect(byUsername.body.user.id).toBe(body.user.id);

    expect((await client.post('/api/auth/unbind-wechat')).status).toBe(200);
  });
});
