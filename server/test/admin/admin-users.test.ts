import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminUserDetailSchema, AdminUserSchema, SiteInfoSchema } from '@wechat-login/shared';
import { browser, signInByUsername, signUpByEmail, type Browser } from '../support/http.js';
import { newWechatUser, signInByWechat, startWechatHarness, type WechatHarness } from '../support/wechat-harness.js';

let harness: WechatHarness;
let admin: Browser;
let wechatOnlyId: string;
let emailUserId: string;

beforeAll(async () => {
  harness = await startWechatHarness({ mode: 'plain', env: { ADMIN_USERNAME: 'root', ADMIN_PASSWORD: 'root-password-1', SITE_NAME: 'Acme' } });
  admin = await signInByUsername(harness.runtime.app, 'root', 'root-password-1');
  wechatOnlyId = (await signInByWechat(harness, newWechatUser())).body.user.id;
  const emailUser = await signUpByEmail(harness.runtime.app, { email: 'zed@example.com', password: 'password-123', name: 'Zed', username: 'zed' });
  emailUserId = (await emailUser.get('/api/auth/get-session')).body.user.id;
  await signUpByEmail(harness.runtime.app, { email: 'amy@example.com', password: 'password-123', name: 'Amy' });
});
afterAll(async () => {
  await harness?.close();
});

const list = (query: string) => admin.get(`/api/v1/admin/users?${query}`);
const names = (res: { body: { data: { items: { name: string }[] } } }) => res.body.data.items.map((u) => u.name);

describe('admin users API', () => {
  it('lists users with their sign-in methods', async () => {
    const res = await list('sortBy=name&sortDirection=asc');
    expect(res.status).toBe(200);
    const items = (res.body.data.items as unknown[]).map((item) => AdminUserSchema.parse(item));
    const byName = Object.fromEntries(items.map((u) => [u.name, u]));
    expect(byName.Zed?.signInMethods).toEqual(['username', 'email']);
    expect(byName.Amy?.signInMethods).toEqual(['email']);
    const wechatUser = items.find((u) => u.id === wechatOnlyId)!;
    expect(wechatUser.signInMethods).toEqual(['wechat']);
    expect(wechatUser.emailIsPlaceholder).toBe(true);
    expect(res.body.data.total).toBe(4);
  });

  it('searches name, email and username, and filters by role, WeChat and ban', async () => {
    expect(names(await list('search=ZE'))).toEqual(['Zed']);
    expect(names(await list('search=amy%40example'))).toEqual(['Amy']);
    expect(names(await list('search=root'))).toEqual(['root']);
    expect(names(await list('search=.*'))).toEqual([]); // regex characters are literal
    expect(names(await list('role=admin'))).toEqual(['root']);
    expect((await list('role=user')).body.data.total).toBe(3);
    expect((await list('hasWechat=true')).body.data.items.map((u: { id: string }) => u.id)).toEqual([wechatOnlyId]);
    expect((await list('hasWechat=false')).body.data.total).toBe(3);
    await admin.post('/api/auth/admin/ban-user', { userId: emailUserId, banReason: 'spam' });
    expect(names(await list('banned=true'))).toEqual(['Zed']);
    expect((await list('banned=false')).body.data.total).toBe(3);
    await admin.post('/api/auth/admin/unban-user', { userId: emailUserId });
  });

  it('paginates and sorts without overlap', async () => {
    const first = await list('sortBy=email&sortDirection=asc&limit=2&offset=0');
    const second = await list('sortBy=email&sortDirection=asc&limit=2&offset=2');
    const emails = [...first.body.data.items, ...second.body.data.items].map((u: { email: string }) => u.email);
    expect(emails).toEqual([...emails].sort());
    expect(new Set(emails).size).toBe(4);
    // Three of the four have no username: the tie is broken by id, so one-per-page covers each user exactly once.
    const pages = await Promise.all([0, 1, 2, 3].map((offset) => list(`sortBy=username&sortDirection=asc&limit=1&offset=${offset}`)));
    const ids = pages.map((page) => page.body.data.items[0]?.id as string);
    expect(new Set(ids).size).toBe(4);
  });

  it('refuses bad queries with 400 and non-admins with 403/401', async () => {
    for (const query of ['limit=0', 'limit=1000', 'sortBy=password', 'role=root', 'banned=yes', 'search[$ne]=x&limit=abc']) {
      const res = await list(query);
      expect(res.status, query).toBe(400);
      expect(res.body.error.code).toBe('INVALID_QUERY');
    }
    // Every refused parameter is named at once, not only the first.
    const several = await list('limit=0&role=root&banned=yes');
    expect(several.status).toBe(400);
    expect(several.body.error.details.issues.map((issue: { parameter: string }) => issue.parameter).sort()).toEqual(['banned', 'limit', 'role']);
    for (const parameter of ['limit', 'role', 'banned']) expect(several.body.error.message).toContain(`"${parameter}"`);
    const user = await signInByUsername(harness.runtime.app, 'zed', 'password-123');
    expect((await user.get('/api/v1/admin/users')).status).toBe(403);
    expect((await browser(harness.runtime.app).get('/api/v1/admin/users')).status).toBe(401);
    expect((await user.post(`/api/v1/admin/users/${wechatOnlyId}/unbind-wechat`)).status).toBe(403);
  });

  it('shows a user with linked accounts, and unbinds WeChat only once a password exists', async () => {
    const detail = await admin.get(`/api/v1/admin/users/${wechatOnlyId}`);
    const user = AdminUserDetailSchema.parse(detail.body.data);
    expect(user.accounts.map((a) => a.providerId)).toEqual(['wechat']);
    expect(user.accounts[0]!.wechatOpenid).toMatch(/^oTest_/);

    const refused = await admin.post(`/api/v1/admin/users/${wechatOnlyId}/unbind-wechat`);
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('WECHAT_ONLY_SIGN_IN_METHOD');

    await admin.post('/api/auth/admin/set-user-password', { userId: wechatOnlyId, newPassword: 'given-by-admin-1' });
    const forged = await admin.agent.post(`/api/v1/admin/users/${wechatOnlyId}/unbind-wechat`).set('Origin', 'https://evil.example');
    expect(forged.status).toBe(403);
    expect(forged.body.error.code).toBe('INVALID_ORIGIN');
    const unbound = await admin.post(`/api/v1/admin/users/${wechatOnlyId}/unbind-wechat`);
    expect(unbound.body).toEqual({ success: true, data: { unbound: true } });
    expect(AdminUserDetailSchema.parse((await admin.get(`/api/v1/admin/users/${wechatOnlyId}`)).body.data).accounts.map((a) => a.providerId)).toEqual(['credential']);
    expect((await admin.post(`/api/v1/admin/users/${wechatOnlyId}/unbind-wechat`)).body.error.code).toBe('WECHAT_NOT_BOUND');
  });

  it('answers unknown and malformed user ids with 404', async () => {
    for (const id of ['0123456789abcdef01234567', 'nope', '%7B%22%24ne%22%3A1%7D']) {
      const res = await admin.get(`/api/v1/admin/users/${id}`);
      expect(res.status, id).toBe(404);
      expect(res.body.error.code).toBe('USER_NOT_FOUND');
    }
  });

  it('lets an admin set a username, refusing a duplicate and accepting the unchanged one again', async () => {
    const ok = await admin.post('/api/auth/admin/update-user', { userId: wechatOnlyId, data: { username: 'fresh_name' } });
    expect(ok.status).toBe(200);
    const same = await admin.post('/api/auth/admin/update-user', { userId: wechatOnlyId, data: { username: 'fresh_name', name: 'Renamed' } });
    expect(same.status).toBe(200);
    const onlySame = await admin.post('/api/auth/admin/update-user', { userId: wechatOnlyId, data: { username: 'Fresh_Name' } });
    expect(onlySame.status, JSON.stringify(onlySame.body)).toBeLessThan(500);
    const detail = await admin.get(`/api/v1/admin/users/${wechatOnlyId}`);
    expect(detail.body.data).toMatchObject({ username: 'fresh_name', name: 'Renamed' });
    const dup = await admin.post('/api/auth/admin/update-user', { userId: wechatOnlyId, data: { username: 'zed' } });
    expect(dup.status).toBe(400);
    expect(dup.body.code).toBe('USERNAME_IS_ALREADY_TAKEN');
    // better-auth's own check takes the admin's username for "theirs" and lets it through to the unique index.
    const adminsOwn = await admin.post('/api/auth/admin/update-user', { userId: wechatOnlyId, data: { username: 'Root' } });
    expect(adminsOwn.status).toBe(400);
    expect(adminsOwn.body.code).toBe('USERNAME_IS_ALREADY_TAKEN');
  });
});

describe('site info and first password', () => {
  it('tells the sign-in page the site name and whether WeChat is on', async () => {
    const res = await browser(harness.runtime.app).get('/api/v1/pub/site');
    expect(SiteInfoSchema.parse(res.body.data)).toEqual({ siteName: 'Acme', wechat: { enabled: true, simulatorUrl: null, webAuthorization: true }, placeholderEmailDomain: 'wechat.placeholder' });
  });

  it('lets a WeChat-only user set a first password once', async () => {
    const { client, body } = await signInByWechat(harness, newWechatUser());
    const short = await client.post('/api/auth/set-first-password', { newPassword: 'short' });
    expect(short.body.code).toBe('PASSWORD_TOO_SHORT');
    expect((await client.post('/api/auth/set-first-password', { newPassword: 'first-password-1' })).status).toBe(200);
    const again = await client.post('/api/auth/set-first-password', { newPassword: 'second-password-2' });
    expect(again.status).toBe(400);
    expect(again.body.code).toBe('PASSWORD_ALREADY_SET');
    const signIn = await browser(harness.runtime.app).post('/api/auth/sign-in/email', { email: body.user.email, password: 'first-password-1' });
    expect(signIn.status).toBe(200);
    expect((await client.post('/api/auth/unbind-wechat')).status).toBe(200);
  });
});
